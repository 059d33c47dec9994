package fr.creneau.examples.data;

import java.io.IOException;
import java.time.DayOfWeek;
import java.time.LocalDateTime;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.core.JsonGenerator;

import fr.creneau.directory.Participation;
import fr.creneau.directory.Profession;
import fr.creneau.directory.Territory;

/**
 * The generator's sites and structures (issue 15), drawn from hashes of the seed and the RPPS
 * rather than from the practitioners' random stream, so that every other draw, and so every data
 * set generated before, stays the same.
 *
 * <ul>
 *   <li><b>Second sites</b>: {@link Proportions#GP_SECOND_SITE} of GPs (no published share was
 *       found: the "about one in ten") work two days a week (Tuesday and Thursday) at a
 *       second site in another commune of their département within {@value #SECOND_SITE_MAX_KM} km.
 *       Half of those sites have coordinates, half only an address (then placed at their commune,
 *       approximate), as directories have.</li>
 *   <li><b>Structures</b> ({@code structures.json}): one CDS, MSP or SOS Médecins association per
 *       (commune, participation) of the practitioners registered that way, at its first member's
 *       place; one CPTS structure per territory CPTS of the département (its members keep the
 *       inline {@code cpts} too: today's readers keep working); and one maison médicale de garde
 *       per département at its most populous commune, open evenings, Saturday afternoons and
 *       Sundays (no members yet: issue 16 proposes MMGs at night).</li>
 * </ul>
 */
final class Sites {
    static final double SECOND_SITE_MAX_KM = 25;
    static final String MAIN = "cabinet";
    static final String SECOND = "site-2";
    private static final long SITE_SALT = 0x5173_5173_0015L;

    private Sites() {
    }

    /** The commune of the practitioner's second site, or {@code null} when they have one site. */
    static ReferenceData.Commune secondSite(final long seed, final GeneratedPractitioner p,
                                            final ReferenceData.Departement dep) {
        if (p.profession() != Profession.GP) {
            return null;
        }
        final long h = Mix.mix(seed ^ SITE_SALT, Long.parseLong(p.rpps()));
        if (Math.floorMod(h, 1000) >= Math.round(Proportions.GP_SECOND_SITE * 1000)) {
            return null;
        }
        final List<ReferenceData.Commune> near = new ArrayList<>();
        for (final ReferenceData.Commune c : dep.communes()) {
            final double km = km(p.lat(), p.lon(), c.lat(), c.lon());
            if (!c.insee().equals(p.commune().insee()) && km > 2 && km <= SECOND_SITE_MAX_KM
                && Territory.of(c.lat(), c.lon()) == Territory.of(p.lat(), p.lon())) {
                near.add(c);
            }
        }
        return near.isEmpty() ? null : near.get((int) Math.floorMod(h >>> 12, near.size()));
    }

    /** {@code true} when the second site has its own coordinates (half of them). */
    static boolean secondSiteHasPosition(final long seed, final GeneratedPractitioner p) {
        return (Mix.mix(seed ^ SITE_SALT, Long.parseLong(p.rpps())) >>> 40 & 1) == 0;
    }

    /** The site of a slot starting at {@code start}: the second one on Tuesdays and Thursdays. */
    static boolean atSecondSite(final LocalDateTime start) {
        return start.getDayOfWeek() == DayOfWeek.TUESDAY || start.getDayOfWeek() == DayOfWeek.THURSDAY;
    }

    /** The structure of a CDS, MSP or SOS Médecins practitioner: one per (participation, commune). */
    static String structureId(final GeneratedPractitioner p) {
        return switch (p.participation()) {
            case CDS -> "cds-" + p.commune().insee();
            case MSP -> "msp-" + p.commune().insee();
            case SOS_MEDECINS -> "sos-" + p.commune().insee();
            case CPTS -> p.cpts() == null ? null : p.cpts().id();
            default -> null;
        };
    }

    /** Writes the {@code sites} of a practitioner with a second site. */
    static void writeSites(final JsonGenerator g, final GeneratedPractitioner p, final ReferenceData.Commune second,
                           final boolean secondHasPosition) throws IOException {
        g.writeArrayFieldStart("sites");
        g.writeStartObject();
        g.writeStringField("id", MAIN);
        writeAddress(g, p.commune(), "1 place de la Mairie");
        JsonOutput.writeDegrees(g, "lat", p.lat());
        JsonOutput.writeDegrees(g, "lon", p.lon());
        g.writeEndObject();
        g.writeStartObject();
        g.writeStringField("id", SECOND);
        writeAddress(g, second, "2 rue de la Santé");
        if (secondHasPosition) {
            JsonOutput.writeDegrees(g, "lat", second.lat());
            JsonOutput.writeDegrees(g, "lon", second.lon());
        }
        g.writeStringField("role", "cabinet secondaire");
        g.writeEndObject();
        g.writeEndArray();
    }

    static void writeAddress(final JsonGenerator g, final ReferenceData.Commune c, final String line) throws IOException {
        g.writeObjectFieldStart("address");
        g.writeArrayFieldStart("lines");
        g.writeString(line);
        g.writeEndArray();
        g.writeStringField("city", c.name());
        g.writeStringField("inseeCode", c.insee());
        g.writeEndObject();
    }

    /** Collects the structures of one generation, in the order first met. Not thread-safe. */
    static final class Structures {
        private final Map<String, Map<String, Object>> byId = new LinkedHashMap<>();

        /** Notes the practitioner's structure (created at its first member's place); returns its id or {@code null}. */
        String register(final GeneratedPractitioner p) {
            final String id = structureId(p);
            if (id == null) {
                return null;
            }
            byId.computeIfAbsent(id, k -> {
                final Map<String, Object> s = new LinkedHashMap<>();
                s.put("id", id);
                s.put("kind", p.participation() == Participation.SOS_MEDECINS ? "SOS_MEDECINS" : p.participation().name());
                s.put("name", p.participation() == Participation.CPTS ? p.cpts().name()
                    : kindName(p.participation()) + " de " + p.commune().name());
                s.put("phone", p.participation() == Participation.CPTS ? p.cpts().phone() : p.phone());
                s.put("commune", p.commune());
                s.put("lat", p.lat());
                s.put("lon", p.lon());
                if (p.participation() == Participation.CDS || p.participation() == Participation.MSP) {
                    s.put("hours", List.of(new String[] {"MON", "TUE", "WED", "THU", "FRI"}, "08:00", "20:00",
                        new String[] {"SAT"}, "08:00", "12:00"));
                }
                return s;
            });
            return id;
        }

        /** Adds the département's maison médicale de garde at its most populous commune. */
        void mmg(final ReferenceData.Departement dep) {
            ReferenceData.Commune top = null;
            for (final ReferenceData.Commune c : dep.communes()) {
                if (top == null || c.population() > top.population()) {
                    top = c;
                }
            }
            if (top == null) {
                return;
            }
            final Map<String, Object> s = new LinkedHashMap<>();
            s.put("id", "mmg-" + dep.code());
            s.put("kind", "MMG");
            s.put("name", "Maison médicale de garde de " + top.name());
            s.put("phone", "01 00 00 00 15");
            s.put("commune", top);
            s.put("hours", List.of(new String[] {"MON", "TUE", "WED", "THU", "FRI"}, "20:00", "24:00",
                new String[] {"SAT"}, "12:00", "24:00", new String[] {"SUN"}, "08:00", "24:00"));
            byId.put((String) s.get("id"), s);
        }

        int size() {
            return byId.size();
        }

        /** Writes {@code structures.json}'s array. */
        void write(final JsonGenerator g) throws IOException {
            g.writeStartArray();
            for (final Map<String, Object> s : byId.values()) {
                g.writeStartObject();
                g.writeStringField("id", (String) s.get("id"));
                g.writeStringField("kind", (String) s.get("kind"));
                g.writeStringField("name", (String) s.get("name"));
                g.writeStringField("phone", (String) s.get("phone"));
                writeAddress(g, (ReferenceData.Commune) s.get("commune"), "3 avenue de la République");
                if (s.containsKey("lat")) {
                    JsonOutput.writeDegrees(g, "lat", (Double) s.get("lat"));
                    JsonOutput.writeDegrees(g, "lon", (Double) s.get("lon"));
                }
                if (s.containsKey("hours")) {
                    final List<?> h = (List<?>) s.get("hours");
                    g.writeArrayFieldStart("hours");
                    for (int i = 0; i < h.size(); i += 3) {
                        g.writeStartObject();
                        g.writeArrayFieldStart("days");
                        for (final String d : (String[]) h.get(i)) {
                            g.writeString(d);
                        }
                        g.writeEndArray();
                        g.writeStringField("from", (String) h.get(i + 1));
                        g.writeStringField("to", (String) h.get(i + 2));
                        g.writeEndObject();
                    }
                    g.writeEndArray();
                }
                g.writeEndObject();
            }
            g.writeEndArray();
        }

        private static String kindName(final Participation p) {
            return switch (p) {
                case CDS -> "Centre de santé";
                case MSP -> "Maison de santé";
                case SOS_MEDECINS -> "SOS Médecins";
                default -> p.name();
            };
        }
    }

    private static double km(final double lat1, final double lon1, final double lat2, final double lon2) {
        final double p1 = Math.toRadians(lat1);
        final double p2 = Math.toRadians(lat2);
        final double a = Math.pow(Math.sin((p2 - p1) / 2), 2)
            + Math.cos(p1) * Math.cos(p2) * Math.pow(Math.sin(Math.toRadians(lon2 - lon1) / 2), 2);
        return 2 * 6371.0088 * Math.asin(Math.min(1, Math.sqrt(a)));
    }
}
