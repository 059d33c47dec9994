package fr.creneau.directory;

import java.text.Normalizer;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * The booking vendors Créneau accepts feeds from, and each one's {@link Integration} level.
 *
 * <p>Names are matched after normalisation (case, accents and punctuation ignored), so that
 * {@code "MonMédecin.org"}, {@code "monmedecin.org"} and {@code "MONMEDECINORG"} are one vendor.
 * An unknown name is an {@link UnknownVendorException}, never a silent default: a slot whose
 * booking path is unknown must not be shown as bookable online.
 *
 * <p>Immutable and thread-safe once built.
 */
public final class VendorRegistry {
    /** Vendor ids are stored in one byte per slot; 0 is the manual source. */
    public static final int MAX_VENDORS = 255;
    /**
     * The source code of manual slots in public slot ids ({@code fr.creneau.slot.SlotId#MANUAL}):
     * no vendor may have it, or its slots and the manual ones would share ids.
     */
    static final String RESERVED_CODE = "manual";
    /** Longest vendor name, in characters (the feed schemas' {@code maxLength}). */
    public static final int MAX_NAME_LENGTH = 100;

    private final Map<String, Vendor> byCode;
    private final Vendor[] byId;

    private VendorRegistry(final Map<String, Vendor> byCode) {
        this.byCode = Collections.unmodifiableMap(new LinkedHashMap<>(byCode));
        this.byId = new Vendor[MAX_VENDORS + 1];
        for (final Vendor v : byCode.values()) {
            byId[v.id()] = v;
        }
    }

    /**
     * The vendors named in the SAS documents, with their integration level at the time: Doctolib,
     * Keldoc and MonMédecin.org end to end; Clickdoc, Maiia, Maincare and Médunion Urgences
     * aggregation only. A deployment registers the rest of the ~34 vendors through
     * {@link #builder(VendorRegistry)}.
     */
    public static VendorRegistry defaults() {
        return builder()
            .add("Doctolib", Integration.END_TO_END)
            .add("Keldoc", Integration.END_TO_END)
            .add("MonMédecin.org", Integration.END_TO_END)
            .add("Clickdoc", Integration.AGGREGATION_ONLY)
            .add("Maiia", Integration.AGGREGATION_ONLY)
            .add("Maincare", Integration.AGGREGATION_ONLY)
            .add("Médunion Urgences", Integration.AGGREGATION_ONLY)
            .build();
    }

    public static Builder builder() {
        return new Builder();
    }

    /** A builder that starts from {@code base} (ids kept) to add or re-level vendors. */
    public static Builder builder(final VendorRegistry base) {
        final Builder b = new Builder();
        for (final Vendor v : base.byCode.values()) {
            b.vendors.put(v.code(), v);
        }
        return b;
    }

    /** Normalised key of a vendor name: lower-case ASCII letters and digits only. */
    public static String code(final String name) {
        final String decomposed = Normalizer.normalize(name, Normalizer.Form.NFD);
        final StringBuilder sb = new StringBuilder(decomposed.length());
        for (int i = 0; i < decomposed.length(); i++) {
            final char c = Character.toLowerCase(decomposed.charAt(i));
            if ((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9')) {
                sb.append(c);
            }
        }
        return sb.toString();
    }

    /**
     * Why {@code name} cannot be a vendor name, or {@code null} when it can. Normalisation ignores
     * case, accents and punctuation, which would otherwise let "Doctolib" followed by NUL or
     * {@code " Doctolib "} pass for Doctolib: a name must not be empty, longer than
     * {@link #MAX_NAME_LENGTH}, padded with whitespace, or hold a control or format character
     * (NUL, newline, escape, zero-width and bidirectional marks).
     */
    public static String nameProblem(final String name) {
        if (name == null) {
            return "is missing";
        }
        if (name.isEmpty()) {
            return "is empty";
        }
        if (name.length() > MAX_NAME_LENGTH) {
            return "is longer than " + MAX_NAME_LENGTH + " characters";
        }
        for (int i = 0; i < name.length(); ) {
            final int cp = name.codePointAt(i);
            if (Character.isISOControl(cp) || Character.getType(cp) == Character.FORMAT) {
                return "holds the control character U+" + String.format("%04X", cp);
            }
            i += Character.charCount(cp);
        }
        if (isPadding(name.codePointAt(0)) || isPadding(name.codePointBefore(name.length()))) {
            return "has leading or trailing whitespace";
        }
        return null;
    }

    private static boolean isPadding(final int cp) {
        return Character.isWhitespace(cp) || Character.isSpaceChar(cp);
    }

    /**
     * The vendor with that name.
     *
     * @throws UnknownVendorException when no registered vendor has that name
     */
    public Vendor require(final String name) {
        final Vendor v = find(name);
        if (v == null) {
            throw new UnknownVendorException(name, String.join(", ", displayNames()));
        }
        return v;
    }

    /** The vendor with that name, or {@code null} (also for a name {@link #nameProblem} refuses). */
    public Vendor find(final String name) {
        return nameProblem(name) != null ? null : byCode.get(code(name));
    }

    /** The vendor with that id, or {@code null} (id 0, the manual source, has none). */
    public Vendor byId(final int id) {
        return id > 0 && id <= MAX_VENDORS ? byId[id] : null;
    }

    /** Registered vendors in registration order. */
    public List<Vendor> vendors() {
        return List.copyOf(byCode.values());
    }

    private List<String> displayNames() {
        final List<String> names = new ArrayList<>();
        for (final Vendor v : byCode.values()) {
            names.add(v.displayName());
        }
        return names;
    }

    /** Not thread-safe; build once, then share the registry. */
    public static final class Builder {
        private final Map<String, Vendor> vendors = new LinkedHashMap<>();

        private Builder() {
        }

        /**
         * Registers a vendor, or changes the integration level of one already registered (its id
         * is kept, so slots already indexed keep pointing at it).
         */
        public Builder add(final String displayName, final Integration integration) {
            Objects.requireNonNull(displayName, "displayName");
            Objects.requireNonNull(integration, "integration");
            final String problem = nameProblem(displayName);
            if (problem != null) {
                throw new IllegalArgumentException("vendor name " + problem);
            }
            final String code = code(displayName);
            if (code.isEmpty()) {
                throw new IllegalArgumentException("vendor name has no letter or digit: '" + displayName + "'");
            }
            if (RESERVED_CODE.equals(code)) {
                throw new IllegalArgumentException("vendor name '" + displayName + "' reads as '" + RESERVED_CODE
                    + "', the source of manual slots in slot ids");
            }
            final Vendor existing = vendors.get(code);
            final int id;
            if (existing != null) {
                id = existing.id();
            } else {
                id = nextId();
            }
            vendors.put(code, new Vendor(id, code, displayName, integration));
            return this;
        }

        private int nextId() {
            int max = 0;
            for (final Vendor v : vendors.values()) {
                max = Math.max(max, v.id());
            }
            if (max >= MAX_VENDORS) {
                throw new IllegalStateException("more than " + MAX_VENDORS + " vendors");
            }
            return max + 1;
        }

        public VendorRegistry build() {
            return new VendorRegistry(vendors);
        }
    }

    @Override
    public String toString() {
        return "VendorRegistry" + byCode.values();
    }

}
