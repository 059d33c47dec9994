package fr.creneau.sim;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;

import com.fasterxml.jackson.databind.ObjectMapper;

import fr.creneau.directory.Rpps;
import fr.creneau.directory.VendorRegistry;
import fr.creneau.slot.Minutes;
import fr.creneau.slot.SlotId;

/**
 * The outside world of the simulation: practitioners (in or out of the directory, where they
 * are), and what each vendor and the manual entry currently <em>list</em> (before any SAS rule),
 * written as the real files the engine reads: {@code practitioners.json}, native vendor
 * snapshots ({@code doctolib.json}, {@code maiia.json}), a FHIR R4 searchset Bundle
 * ({@code keldoc.json}) and manual-slot files. Every choice comes from the {@link Random} it is
 * given, and every collection iterates in a fixed order, so a seed gives the same files.
 * Single-threaded (the simulation's driver).
 */
final class SimWorld {
    static final ZoneId PARIS = ZoneId.of("Europe/Paris");
    static final String DOCTOLIB = "Doctolib";
    static final String KELDOC = "Keldoc";
    static final String MAIIA = "Maiia";
    static final List<String> VENDORS = List.of(DOCTOLIB, KELDOC, MAIIA);
    static final int SLOT_MINUTES = 20;
    static final int GRID_MINUTES = 30;
    static final int OFFICE = 1;
    static final int TELE = 2;
    static final int HOME = 4;
    private static final ObjectMapper JSON = new ObjectMapper();

    /** Slot ids in a fixed order: source, RPPS, start. */
    static final Comparator<SlotId> ORDER = Comparator.comparing(SlotId::source).thenComparingLong(SlotId::rpps)
        .thenComparingInt(SlotId::startMinute);

    /** Where practitioners live: Paris (dense), Lyon, Lozère (rural). */
    static final double[][] CLUSTERS = {{48.8566, 2.3522, 0.06}, {45.7640, 4.8357, 0.08}, {44.5180, 3.5000, 0.25}};

    /** A listed slot's attributes: modality bits, visibility, bookable (FHIR status free). */
    record Attrs(int modalities, boolean professional, boolean visible) {
    }

    static final class Doc {
        final int n;
        final long rpps;
        final String profession;
        final String vendor; // null: manual slots only
        final boolean manual;
        final int gridOffset;
        double lat;
        double lon;
        boolean inDirectory = true;
        boolean refuses;
        /** Index in the current engine's directory, -1 when out (reset at each restart). */
        int index = -1;

        Doc(final int n, final long rpps, final String profession, final String vendor, final boolean manual,
            final int gridOffset) {
            this.n = n;
            this.rpps = rpps;
            this.profession = profession;
            this.vendor = vendor;
            this.manual = manual;
            this.gridOffset = gridOffset;
        }

        @Override
        public String toString() {
            return "DOC" + n + "(" + Rpps.format(rpps) + ")";
        }
    }

    final Path dir;
    final Random random;
    final List<Doc> docs = new ArrayList<>();
    final Map<Long, Doc> byRpps = new LinkedHashMap<>();
    /** What each source lists now (vendor code, or {@link SlotId#MANUAL}), by slot id. */
    final Map<String, TreeMap<SlotId, Attrs>> listed = new LinkedHashMap<>();
    /** Last start minute each source's listing was filled up to. */
    private final Map<String, Integer> filledTo = new LinkedHashMap<>();
    private int files;

    SimWorld(final Path dir, final Random random) {
        this.dir = dir;
        this.random = random;
        for (final String v : VENDORS) {
            listed.put(VendorRegistry.code(v), new TreeMap<>(ORDER));
        }
        listed.put(SlotId.MANUAL, new TreeMap<>(ORDER));
        final int gps = 60;
        for (int i = 0; i < gps + 6; i++) {
            final long rpps = Long.parseLong(Rpps.withCheckDigit(String.format("1%09d", 4000 + i)));
            final int r = random.nextInt(20);
            final String vendor = r < 8 ? DOCTOLIB : r < 13 ? KELDOC : r < 17 ? MAIIA : null;
            final boolean manual = vendor == null || random.nextInt(5) == 0;
            final Doc d = new Doc(i, rpps, i < gps ? "GP" : "NURSE", vendor, manual, 10 * random.nextInt(3));
            place(d, i % 7 < 4 ? 0 : i % 7 < 6 ? 1 : 2);
            docs.add(d);
            byRpps.put(rpps, d);
        }
    }

    void place(final Doc d, final int cluster) {
        final double[] c = CLUSTERS[cluster];
        d.lat = c[0] + (random.nextDouble() * 2 - 1) * c[2];
        d.lon = c[1] + (random.nextDouble() * 2 - 1) * c[2] * 1.4;
    }

    static String sourceOf(final Doc d) {
        return VendorRegistry.code(d.vendor);
    }

    // ---------------------------------------------------------------------------------------
    // Churn of the listings
    // ---------------------------------------------------------------------------------------

    /**
     * What a source lists changes as time passes: past slots drop off (some linger, as real
     * vendors' do), some listed ones are taken elsewhere or change modality or visibility, new
     * openings appear, and the hours newly within reach are filled.
     */
    void churn(final String source, final int nowMinute) {
        final TreeMap<SlotId, Attrs> l = listed.get(source);
        final boolean manual = source.equals(SlotId.MANUAL);
        l.entrySet().removeIf(e -> e.getKey().startMinute() + SLOT_MINUTES < nowMinute - 90
            || e.getKey().startMinute() < nowMinute - 30 && random.nextInt(3) == 0);
        for (final Map.Entry<SlotId, Attrs> e : new ArrayList<>(l.entrySet())) {
            final int r = random.nextInt(100);
            if (r < 6) {
                l.remove(e.getKey()); // taken elsewhere
            } else if (r < 9) {
                e.setValue(attrs(source, manual)); // modality or visibility changed
            }
        }
        final int horizon = nowMinute + 50 * 60;
        int from = filledTo.getOrDefault(source, Integer.MIN_VALUE);
        if (from < nowMinute - 60) {
            from = nowMinute - 60; // a jump in time: nothing was listed for the hours skipped
        }
        for (final Doc d : docs) {
            if (manual ? !d.manual : d.vendor == null || !sourceOf(d).equals(source)) {
                continue;
            }
            final int offset = manual ? d.gridOffset + 15 : d.gridOffset;
            final int first = from - Math.floorMod(from - offset, GRID_MINUTES) + GRID_MINUTES;
            for (int m = nowMinute - Math.floorMod(nowMinute - offset, GRID_MINUTES) - GRID_MINUTES; m < horizon;
                 m += GRID_MINUTES) {
                final SlotId id = new SlotId(source, d.rpps, m);
                if (l.containsKey(id)) {
                    continue;
                }
                final boolean fresh = m >= first;
                if (random.nextInt(100) < (fresh ? 45 : 3)) {
                    l.put(id, attrs(source, manual));
                }
            }
        }
        filledTo.put(source, horizon);
    }

    private Attrs attrs(final String source, final boolean manual) {
        if (manual) {
            final int bits = 1 + random.nextInt(7);
            return new Attrs(bits, false, true);
        }
        final int r = random.nextInt(100);
        final boolean fhir = source.equals(VendorRegistry.code(KELDOC));
        final int modalities = fhir ? 1 + random.nextInt(7) : 1 << (r % 3);
        final int v = random.nextInt(100);
        return new Attrs(modalities, v >= 60, v >= 8); // 8 %: not shown (PATIENTELE, CPTS, busy)
    }

    // ---------------------------------------------------------------------------------------
    // Files
    // ---------------------------------------------------------------------------------------

    Path writeDirectory() {
        final List<Map<String, Object>> out = new ArrayList<>();
        for (final Doc d : docs) {
            if (!d.inDirectory) {
                continue;
            }
            final Map<String, Object> p = new LinkedHashMap<>();
            p.put("rpps", Rpps.format(d.rpps));
            p.put("name", "Marie DOC" + d.n);
            p.put("profession", d.profession);
            p.put("lat", d.lat);
            p.put("lon", d.lon);
            p.put("phone", String.format("01 40 00 %02d %02d", d.n / 100, d.n % 100));
            p.put("vendor", d.vendor);
            p.put("refusesVendorSlots", d.refuses);
            p.put("participation", d.n % 5 == 0 ? "CPTS" : "INDIVIDUAL");
            p.put("acceptsExtraPatients", d.n % 3 == 0);
            p.put("cpts", d.n % 5 == 0 ? Map.of("id", "CPTS" + d.n % 2, "name", "CPTS " + d.n % 2, "phone",
                "01 45 00 00 0" + d.n % 2) : null);
            out.add(p);
        }
        final Path file = dir.resolve("practitioners.json");
        write(file, out);
        return file;
    }

    /**
     * The vendor's snapshot as the file it sends, generated at {@code generatedAt}; with
     * {@code bad} a slot no rule lets through (an offset Paris does not have at that time) is added.
     */
    Path writeSnapshot(final String vendor, final Instant generatedAt, final boolean bad) {
        final String code = VendorRegistry.code(vendor);
        final Path file = dir.resolve(code + "-" + files++ + ".json");
        if (vendor.equals(KELDOC)) {
            write(file, fhirBundle(generatedAt, bad));
            return file;
        }
        final List<Map<String, Object>> slots = new ArrayList<>();
        int i = 0;
        for (final Map.Entry<SlotId, Attrs> e : listed.get(code).entrySet()) {
            final SlotId id = e.getKey();
            final Attrs a = e.getValue();
            final Map<String, Object> s = new LinkedHashMap<>();
            s.put("id", "v" + i++);
            s.put("rpps", Rpps.format(id.rpps()));
            s.put("start", text(Minutes.toInstant(id.startMinute()), i));
            s.put("end", text(Minutes.toInstant(id.startMinute() + SLOT_MINUTES), i));
            s.put("modality", (a.modalities() & OFFICE) != 0 ? "OFFICE" : (a.modalities() & TELE) != 0
                ? "TELECONSULTATION" : "HOME_VISIT");
            s.put("visibility", !a.visible() ? (i % 2 == 0 ? "PATIENTELE" : "STRUCTURE")
                : a.professional() ? "PROFESSIONAL" : "PUBLIC");
            slots.add(s);
        }
        if (bad && !slots.isEmpty()) {
            final Map<String, Object> s = new LinkedHashMap<>(slots.get(0));
            s.put("id", "bad-offset");
            s.put("start", wrongOffset(Instant.parse(Minutes.toInstant(0).toString()).plusSeconds(0), s));
            slots.add(s);
        }
        final Map<String, Object> feed = new LinkedHashMap<>();
        feed.put("vendor", vendor);
        feed.put("integration", vendor.equals(MAIIA) ? "AGGREGATION_ONLY" : "END_TO_END");
        feed.put("generatedAt", generatedAt.toString());
        feed.put("slots", slots);
        write(file, feed);
        return file;
    }

    /** The start of slot {@code s} written with an offset one hour off Paris's at that time. */
    private static String wrongOffset(final Instant ignored, final Map<String, Object> s) {
        final java.time.OffsetDateTime t = java.time.OffsetDateTime.parse((String) s.get("start"));
        final int real = PARIS.getRules().getOffset(t.toInstant()).getTotalSeconds();
        final java.time.ZoneOffset wrong = java.time.ZoneOffset.ofTotalSeconds(real == 3600 ? 7200 : 3600);
        return t.toInstant().atOffset(wrong).toString();
    }

    /** Paris civil time with its offset (mostly), or UTC {@code Z} (now and then): both are accepted. */
    private static String text(final Instant t, final int i) {
        return i % 7 == 3 ? t.toString() : t.atZone(PARIS).toOffsetDateTime().toString();
    }

    private Map<String, Object> fhirBundle(final Instant generatedAt, final boolean bad) {
        final String code = VendorRegistry.code(KELDOC);
        final List<Object> entries = new ArrayList<>();
        final Map<Long, Boolean> schedules = new TreeMap<>();
        int i = 0;
        for (final Map.Entry<SlotId, Attrs> e : listed.get(code).entrySet()) {
            final SlotId id = e.getKey();
            final Attrs a = e.getValue();
            schedules.put(id.rpps(), true);
            final List<Object> types = new ArrayList<>();
            for (final String[] m : new String[][] {{"1", "AMB"}, {"2", "VR"}, {"4", "HH"}}) {
                if ((a.modalities() & Integer.parseInt(m[0])) != 0) {
                    types.add(Map.of("coding", List.of(Map.of("system", "http://terminology.hl7.org/CodeSystem/v3-ActCode",
                        "code", m[1]))));
                }
            }
            final boolean busy = !a.visible() && i % 2 == 0;
            final String security = !a.visible() && !busy ? "CPTS" : a.professional() ? (i % 2 == 0 ? "PRO" : "SNP")
                : "PUBLIC";
            final Map<String, Object> slot = new LinkedHashMap<>();
            slot.put("resourceType", "Slot");
            slot.put("id", "k-" + id.rpps() + "-" + id.startMinute());
            slot.put("meta", Map.of("security", List.of(Map.of("system",
                "https://mos.esante.gouv.fr/NOS/TRE_R314-TypeCreneau/FHIR/TRE-R314-TypeCreneau", "code", security))));
            slot.put("serviceType", types);
            slot.put("schedule", Map.of("reference", "Schedule/sch-" + id.rpps()));
            slot.put("status", busy ? "busy" : "free");
            slot.put("start", text(Minutes.toInstant(id.startMinute()), i));
            slot.put("end", text(Minutes.toInstant(id.startMinute() + SLOT_MINUTES), i));
            if (bad && i == 0) {
                final Map<String, Object> wrong = new LinkedHashMap<>(slot);
                wrong.put("id", "bad-offset");
                wrong.put("start", wrongOffset(null, slot));
                entries.add(Map.of("fullUrl", "https://keldoc.example.fr/fhir/Slot/bad-offset", "resource", wrong,
                    "search", Map.of("mode", "match")));
            }
            entries.add(Map.of("fullUrl", "https://keldoc.example.fr/fhir/Slot/" + slot.get("id"), "resource", slot,
                "search", Map.of("mode", "match")));
            i++;
        }
        for (final long rpps : schedules.keySet()) {
            final Map<String, Object> schedule = new LinkedHashMap<>();
            schedule.put("resourceType", "Schedule");
            schedule.put("id", "sch-" + rpps);
            schedule.put("actor", List.of(Map.of("type", "Practitioner", "identifier",
                Map.of("system", "urn:oid:1.2.250.1.71.4.2.1", "value", "8" + Rpps.format(rpps)))));
            entries.add(Map.of("fullUrl", "https://keldoc.example.fr/fhir/Schedule/sch-" + rpps, "resource", schedule,
                "search", Map.of("mode", "include")));
        }
        final Map<String, Object> bundle = new LinkedHashMap<>();
        bundle.put("resourceType", "Bundle");
        bundle.put("type", "searchset");
        bundle.put("timestamp", generatedAt.toString());
        bundle.put("entry", entries);
        return bundle;
    }

    /** A manual-slot file with the listed manual slots of {@code named} practitioners. */
    Path writeManual(final List<Doc> named) {
        final List<Map<String, Object>> slots = new ArrayList<>();
        int i = 0;
        for (final Map.Entry<SlotId, Attrs> e : listed.get(SlotId.MANUAL).entrySet()) {
            final Doc d = byRpps.get(e.getKey().rpps());
            if (!named.contains(d)) {
                continue;
            }
            final Map<String, Object> s = new LinkedHashMap<>();
            s.put("id", "m" + i++);
            s.put("rpps", Rpps.format(d.rpps));
            s.put("start", text(Minutes.toInstant(e.getKey().startMinute()), i));
            s.put("end", text(Minutes.toInstant(e.getKey().startMinute() + SLOT_MINUTES), i));
            final List<String> m = new ArrayList<>();
            if ((e.getValue().modalities() & OFFICE) != 0) {
                m.add("OFFICE");
            }
            if ((e.getValue().modalities() & TELE) != 0) {
                m.add("TELECONSULTATION");
            }
            if ((e.getValue().modalities() & HOME) != 0) {
                m.add("HOME_VISIT");
            }
            s.put("modalities", m);
            slots.add(s);
        }
        final Path file = dir.resolve("manual-" + files++ + ".json");
        write(file, Map.of("slots", slots));
        return file;
    }

    static void write(final Path file, final Object value) {
        try {
            Files.createDirectories(file.getParent());
            JSON.writeValue(file.toFile(), value);
        } catch (final IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
