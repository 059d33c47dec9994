package fr.creneau.examples.data;

import java.time.DayOfWeek;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;

import fr.creneau.directory.Cpts;
import fr.creneau.directory.Participation;
import fr.creneau.directory.Profession;
import fr.creneau.directory.Rpps;
import fr.creneau.directory.Territory;
import fr.creneau.directory.Vendor;
import fr.creneau.directory.VendorRegistry;
import fr.creneau.examples.data.ReferenceData.Commune;
import fr.creneau.examples.data.ReferenceData.Departement;
import fr.creneau.feed.Visibility;

/**
 * Draws the practitioners of a département: how many (ameli count times the scale, nurses and
 * midwives in proportion), where (a commune drawn in proportion to its population, then a jitter
 * of a few hundred metres that stays inside the territory) and who (vendor, SAS participation,
 * CPTS, agenda habits), following {@link Proportions}.
 *
 * <p>Each département draws from its own stream, derived from the seed and its code, so that a
 * département's practitioners do not depend on which other départements are generated; only the
 * RPPS numbers, allocated in generation order, do.
 *
 * <p>Not thread-safe: it allocates RPPS numbers in sequence. One instance per generation.
 */
final class PractitionerFactory {
    /*
     * RPPS numbers: "10" + 8 digits + Luhn key, like real RPPS (10xxxxxxxxx). The 8 digits are
     * (sequence * MULTIPLIER + offset) mod 10^8: a bijection because MULTIPLIER is prime to 10^8
     * (odd, not a multiple of 5), so numbers are unique up to 10^8 practitioners and look random.
     */
    private static final long RPPS_SPACE = 100_000_000L;
    private static final long RPPS_MULTIPLIER = 61_803_399L;
    private static final long AGENDA_SALT = 0x5DEECE66DL;

    private final long seed;
    private final Scale scale;
    private final double nationalDensity;
    private final Map<Profession, Map<String, Weighted<Vendor>>> vendorTables = new EnumMap<>(Profession.class);
    private final long rppsOffset;
    private long rppsSequence;

    PractitionerFactory(final long seed, final Scale scale, final ReferenceData data, final VendorRegistry vendors) {
        this.seed = seed;
        this.scale = scale;
        this.nationalDensity = data.nationalGpDensity();
        this.rppsOffset = Math.floorMod(Mix.mix(seed, 0x52505053L), RPPS_SPACE);
        final Map<String, Weighted<Vendor>> gp = Map.of(
            "", resolve(Proportions.GP_VENDORS, vendors),
            "SOS", resolve(Proportions.SOS_VENDORS, vendors),
            "CDS", resolve(Proportions.CDS_VENDORS, vendors));
        vendorTables.put(Profession.GP, gp);
        vendorTables.put(Profession.NURSE, Map.of("", resolve(Proportions.NURSE_VENDORS, vendors),
            "CDS", resolve(Proportions.CDS_VENDORS, vendors)));
        vendorTables.put(Profession.MIDWIFE, Map.of("", resolve(Proportions.MIDWIFE_VENDORS, vendors),
            "CDS", resolve(Proportions.CDS_VENDORS, vendors)));
    }

    /** Number of practitioners of each profession this scale puts in {@code dep}. */
    static Map<Profession, Integer> counts(final Scale scale, final Departement dep) {
        final int gps = scale.gpCount(dep.gpCount());
        final Map<Profession, Integer> counts = new EnumMap<>(Profession.class);
        counts.put(Profession.GP, gps);
        counts.put(Profession.NURSE, (int) Math.round(gps * Proportions.NURSES_PER_GP));
        counts.put(Profession.MIDWIFE, (int) Math.round(gps * Proportions.MIDWIVES_PER_GP));
        return counts;
    }

    /** The practitioners of {@code dep}: GPs, then nurses, then midwives. */
    List<GeneratedPractitioner> departement(final Departement dep) {
        final SplittableRandom rng = new SplittableRandom(Mix.mix(seed, dep.code().hashCode()));
        final List<Commune> communes = dep.communes();
        final double[] cumulative = cumulativePopulation(communes);
        final Cpts[] cptsByCommune = CptsTerritories.of(dep);
        final double tension = Math.max(Proportions.TENSION_MIN, Math.min(Proportions.TENSION_MAX,
            Math.pow(dep.gpDensity() / nationalDensity, 1.5)));
        final Map<Profession, Integer> counts = counts(scale, dep);
        final List<GeneratedPractitioner> out = new ArrayList<>();
        for (final Profession profession : Profession.values()) {
            final int n = counts.getOrDefault(profession, 0);
            for (int i = 0; i < n; i++) {
                final int c = pickCommune(cumulative, rng);
                out.add(practitioner(profession, dep, communes.get(c), cptsByCommune[c], tension, rng));
            }
        }
        return out;
    }

    private GeneratedPractitioner practitioner(final Profession profession, final Departement dep, final Commune commune,
                                               final Cpts territoryCpts, final double tension, final SplittableRandom rng) {
        final double[] position = jitter(commune, rng);
        final Territory territory = Territory.of(position[0], position[1]);
        final String name = Names.draw(rng);

        Participation participation = participationTable(profession).pick(rng);
        if (participation == Participation.SOS_MEDECINS && commune.population() < Proportions.SOS_MIN_COMMUNE_POPULATION) {
            participation = Participation.INDIVIDUAL; // no SOS association in small towns
        }
        final double extraRoll = rng.nextDouble();
        final boolean acceptsExtra = participation != Participation.NONE && extraRoll < switch (participation) {
            case CPTS -> Proportions.EXTRA_PATIENTS_CPTS;
            case SOS_MEDECINS -> Proportions.EXTRA_PATIENTS_SOS;
            default -> Proportions.EXTRA_PATIENTS_REGISTERED;
        };
        final double memberRoll = rng.nextDouble();
        final Cpts cpts;
        if (participation == Participation.CPTS) {
            cpts = territoryCpts;
        } else if (participation == Participation.NONE) {
            cpts = memberRoll < Proportions.CPTS_MEMBER_NOT_REGISTERED ? territoryCpts : null;
        } else {
            cpts = memberRoll < Proportions.CPTS_MEMBER_REGISTERED_OTHERWISE ? territoryCpts : null;
        }

        final double noVendorRoll = rng.nextDouble();
        final Vendor drawn = vendorTable(profession, participation).pick(rng);
        final Vendor vendor = noVendorRoll < noVendorShare(profession, participation) ? null : drawn;
        final boolean refuses = rng.nextDouble() < Proportions.REFUSES_VENDOR_SLOTS && vendor != null;

        final double manualRoll = rng.nextDouble();
        final double manualRateDraw = uniform(rng, Proportions.MANUAL_RATE_MIN, Proportions.MANUAL_RATE_MAX);
        final double manualShare;
        if (participation == Participation.NONE) {
            manualShare = 0; // the SAS agenda needs a registration
        } else if (vendor == null) {
            manualShare = participation == Participation.CDS ? Proportions.MANUAL_IF_NO_VENDOR_CDS
                : Proportions.MANUAL_IF_NO_VENDOR;
        } else {
            manualShare = refuses ? Proportions.MANUAL_IF_REFUSES : 0;
        }
        final double manualRate = manualRoll < manualShare ? manualRateDraw : 0;

        final String phone = profession == Profession.NURSE && rng.nextDouble() < Proportions.NURSE_MOBILE_PHONE
            ? Phones.mobile(rng) : Phones.landline(dep.code(), dep.regCode(), rng);
        final String rpps = nextRpps();
        final AgendaProfile agenda = agenda(profession, participation, cpts, tension, manualRate,
            Mix.mix(seed ^ AGENDA_SALT, Long.parseLong(rpps)), rng);
        return new GeneratedPractitioner(rpps, name, profession, position[0], position[1], phone, vendor, refuses,
            participation, acceptsExtra, cpts, dep.code(), territory.zone(),
            PublicHolidays.zoneOf(territory, dep.code()), agenda, commune);
    }

    private static AgendaProfile agenda(final Profession profession, final Participation participation, final Cpts cpts,
                                        final double tension, final double manualRate, final long agendaSeed,
                                        final SplittableRandom rng) {
        final boolean registered = participation != Participation.NONE;
        final double freeRoll = rng.nextDouble();
        final double freeRate = freeRoll < Proportions.FULLY_BOOKED ? 0
            : Math.min(1.0, tension * uniform(rng, Proportions.FREE_MIN, Proportions.FREE_MAX));
        final double patientsOnlyShare = switch (profession) {
            case GP -> Proportions.GP_PATIENTS_ONLY;
            case NURSE -> Proportions.NURSE_PATIENTS_ONLY;
            case MIDWIFE -> Proportions.MIDWIFE_PATIENTS_ONLY;
        };
        final boolean patientsOnly = rng.nextDouble() < patientsOnlyShare;
        final boolean structure = cpts != null || participation == Participation.CPTS
            || participation == Participation.MSP || participation == Participation.CDS;
        final Weighted<Visibility> visibility = registered ? Proportions.VISIBILITY_REGISTERED : Proportions.VISIBILITY_NOT_REGISTERED;

        switch (profession) {
            case GP: {
                final double slotRoll = rng.nextDouble();
                final int slot = slotRoll < 0.50 ? 15 : slotRoll < 0.85 ? 20 : 30;
                final int amStart = pickInt(rng, new int[] {h(8), h(8) + 30, h(9)});
                final int amEnd = pickInt(rng, new int[] {h(12), h(12) + 30});
                final int pmStart = pickInt(rng, new int[] {h(13) + 30, h(14), h(14) + 30});
                final int pmEnd = pickInt(rng, new int[] {h(18), h(18) + 30, h(19), h(19) + 30});
                final DayOfWeek dayOff = rng.nextDouble() >= Proportions.GP_DAY_OFF ? null
                    : rng.nextBoolean() ? DayOfWeek.WEDNESDAY : DayOfWeek.of(1 + rng.nextInt(5));
                final double saturday = rng.nextDouble() < Proportions.GP_SATURDAY ? 1.0 : 0.0;
                final double tele = rng.nextDouble() < Proportions.GP_TELE_CAPABLE ? Proportions.GP_TELE_SHARE : 0;
                final double home = rng.nextDouble() < Proportions.GP_HOME_CAPABLE ? Proportions.GP_HOME_SHARE : 0;
                if (participation == Participation.SOS_MEDECINS) {
                    return new AgendaProfile(20, h(8), h(14), h(14), h(20), null, 1.0, h(14), 1.0, h(8), h(14), true,
                        0, Proportions.SOS_HOME_SHARE, freeRate, false, visibility, structure, manualRate, agendaSeed);
                }
                return new AgendaProfile(slot, amStart, amEnd, pmStart, pmEnd, dayOff, saturday, h(12),
                    Proportions.GP_SUNDAY, h(9), h(13), false, tele, home, freeRate, patientsOnly, visibility, structure,
                    manualRate, agendaSeed);
            }
            case NURSE: {
                final int slot = rng.nextDouble() < 0.6 ? 15 : 30;
                final int amStart = pickInt(rng, new int[] {h(7), h(7) + 30});
                final int amEnd = pickInt(rng, new int[] {h(11), h(11) + 30, h(12)});
                final int pmStart = pickInt(rng, new int[] {h(16), h(16) + 30, h(17)});
                final int pmEnd = pickInt(rng, new int[] {h(19), h(19) + 30, h(20)});
                final double home = uniform(rng, Proportions.NURSE_HOME_MIN, Proportions.NURSE_HOME_MAX);
                // Weekend rounds: the whole day on Saturday, the morning round on Sunday.
                return new AgendaProfile(slot, amStart, amEnd, pmStart, pmEnd, null, Proportions.NURSE_SATURDAY, pmEnd,
                    Proportions.NURSE_SUNDAY, amStart, amEnd, false, 0, home, freeRate, patientsOnly, visibility,
                    structure, manualRate, agendaSeed);
            }
            case MIDWIFE: {
                final int slot = rng.nextDouble() < 0.7 ? 30 : 20;
                final int amStart = pickInt(rng, new int[] {h(9), h(9) + 30});
                final int amEnd = pickInt(rng, new int[] {h(12), h(12) + 30});
                final int pmStart = pickInt(rng, new int[] {h(14), h(14) + 30});
                final int pmEnd = pickInt(rng, new int[] {h(17) + 30, h(18)});
                final DayOfWeek dayOff = rng.nextDouble() < 0.2 ? DayOfWeek.of(1 + rng.nextInt(5)) : null;
                final double saturday = rng.nextDouble() < Proportions.MIDWIFE_SATURDAY ? 1.0 : 0.0;
                final double tele = rng.nextDouble() < Proportions.MIDWIFE_TELE_CAPABLE ? Proportions.MIDWIFE_TELE_SHARE : 0;
                final double home = rng.nextDouble() < Proportions.MIDWIFE_HOME_CAPABLE ? Proportions.MIDWIFE_HOME_SHARE : 0;
                return new AgendaProfile(slot, amStart, amEnd, pmStart, pmEnd, dayOff, saturday, h(12), 0, h(9), h(9),
                    false, tele, home, freeRate, patientsOnly, visibility, structure, manualRate, agendaSeed);
            }
            default:
                throw new IllegalArgumentException("no agenda model for " + profession);
        }
    }

    private static Weighted<Participation> participationTable(final Profession profession) {
        switch (profession) {
            case GP:
                return Proportions.GP_PARTICIPATION;
            case NURSE:
                return Proportions.NURSE_PARTICIPATION;
            case MIDWIFE:
                return Proportions.MIDWIFE_PARTICIPATION;
            default:
                throw new IllegalArgumentException("no participation model for " + profession);
        }
    }

    private Weighted<Vendor> vendorTable(final Profession profession, final Participation participation) {
        final Map<String, Weighted<Vendor>> tables = vendorTables.get(profession);
        final String key = participation == Participation.SOS_MEDECINS ? "SOS"
            : participation == Participation.CDS ? "CDS" : "";
        final Weighted<Vendor> table = tables.get(key);
        return table != null ? table : tables.get("");
    }

    private static double noVendorShare(final Profession profession, final Participation participation) {
        if (participation == Participation.SOS_MEDECINS) {
            return Proportions.SOS_NO_VENDOR;
        }
        if (participation == Participation.CDS) {
            return Proportions.CDS_NO_VENDOR;
        }
        switch (profession) {
            case NURSE:
                return Proportions.NURSE_NO_VENDOR;
            case MIDWIFE:
                return Proportions.MIDWIFE_NO_VENDOR;
            default:
                return Proportions.GP_NO_VENDOR;
        }
    }

    private String nextRpps() {
        final long digits = Math.floorMod(rppsSequence++ * RPPS_MULTIPLIER + rppsOffset, RPPS_SPACE);
        if (rppsSequence > RPPS_SPACE) {
            throw new IllegalStateException("more than " + RPPS_SPACE + " practitioners");
        }
        return Rpps.withCheckDigit(String.format("10%08d", digits));
    }

    /** Population weights, cumulated; uniform when the département has no population figure (Mayotte). */
    private static double[] cumulativePopulation(final List<Commune> communes) {
        long total = 0;
        for (final Commune c : communes) {
            total += c.population();
        }
        final double[] cumulative = new double[communes.size()];
        double run = 0;
        for (int i = 0; i < cumulative.length; i++) {
            run += total > 0 ? communes.get(i).population() : 1;
            cumulative[i] = run;
        }
        return cumulative;
    }

    private static int pickCommune(final double[] cumulative, final SplittableRandom rng) {
        final double u = rng.nextDouble() * cumulative[cumulative.length - 1];
        int lo = 0;
        int hi = cumulative.length - 1;
        while (lo < hi) { // first index whose cumulative weight exceeds u
            final int mid = (lo + hi) >>> 1;
            if (cumulative[mid] > u) {
                hi = mid;
            } else {
                lo = mid + 1;
            }
        }
        return lo;
    }

    /**
     * A point drawn uniformly in a disc around the commune point, radius 0.35 * sqrt(area) clamped to
     * [150 m, 800 m] (a commune point is near its centre; the radius keeps small Paris arrondissements
     * tight and rural communes a few hundred metres wide). Rounded to 6 decimals; retried when it
     * falls outside the territory, else the commune point itself.
     */
    private static double[] jitter(final Commune c, final SplittableRandom rng) {
        final double radiusKm = Double.isNaN(c.areaKm2()) ? 0.5
            : Math.max(0.15, Math.min(0.8, 0.35 * Math.sqrt(c.areaKm2())));
        for (int attempt = 0; attempt < 5; attempt++) {
            final double r = radiusKm * Math.sqrt(rng.nextDouble());
            final double theta = 2 * Math.PI * rng.nextDouble();
            final double lat = round6(c.lat() + r * Math.cos(theta) / 111.2);
            final double lon = round6(c.lon() + r * Math.sin(theta) / (111.2 * Math.cos(Math.toRadians(c.lat()))));
            if (Territory.of(lat, lon) != null) {
                return new double[] {lat, lon};
            }
        }
        return new double[] {round6(c.lat()), round6(c.lon())};
    }

    static double round6(final double degrees) {
        return Math.round(degrees * 1e6) / 1e6;
    }

    private static int h(final int hour) {
        return hour * 60;
    }

    private static int pickInt(final SplittableRandom rng, final int[] choices) {
        return choices[rng.nextInt(choices.length)];
    }

    private static double uniform(final SplittableRandom rng, final double min, final double max) {
        return min + (max - min) * rng.nextDouble();
    }

    private static Weighted<Vendor> resolve(final Weighted<String> names, final VendorRegistry registry) {
        final Weighted.Builder<Vendor> b = Weighted.builder();
        for (final String name : names.values()) {
            // require: a renamed vendor in the registry must fail here, not silently vanish
            b.add(registry.require(name), names.probability(name));
        }
        return b.build();
    }
}
