package fr.creneau.feed;

/**
 * A slot as a parser read it, before the rules: times are still text because whether a local time
 * exists depends on the practitioner's zone, which only the validator knows.
 *
 * @param id           the source's slot id (unique within one file)
 * @param rpps         RPPS as text (not yet checked)
 * @param start        ISO-8601 date-time, with an offset or local (then read in the practitioner's zone)
 * @param end          likewise
 * @param modalities   set of {@link Modality#bit()}; never 0 (a parser rejects a slot with none)
 * @param visibility   declared visibility; manual slots are {@link Visibility#PUBLIC}
 * @param bookable     {@code false} for a FHIR WALKIN slot or a non-free status
 * @param bookingUrl   deep link to book at the vendor, or {@code null}
 * @param site         id of the practitioner's site the slot is at (native {@code "site"}), or
 *                     {@code null}: the main site, or the {@code place} when there is one
 * @param place        FHIR only: the Location contained in the slot's PractitionerRole, to match to
 *                     one of the practitioner's sites (see {@link FeedValidator}), or {@code null}
 */
public record RawSlot(
    String id,
    String rpps,
    String start,
    String end,
    int modalities,
    Visibility visibility,
    boolean bookable,
    String bookingUrl,
    String site,
    Place place) {

    /** A slot at the main site (no site named). */
    public RawSlot(final String id, final String rpps, final String start, final String end, final int modalities,
                   final Visibility visibility, final boolean bookable, final String bookingUrl) {
        this(id, rpps, start, end, modalities, visibility, bookable, bookingUrl, null, null);
    }

    /**
     * Where a FHIR Location says the slot is, matched to a directory site by one of its ids, else
     * by position (within {@link #SAME_PLACE_KM}), else by commune (INSEE or postal code) and first
     * address line.
     *
     * @param ids        the Location's {@code identifier} values and its {@code id}, in that order
     * @param lat        latitude, or {@code NaN} when the Location has no {@code position}
     * @param lon        longitude, or {@code NaN}
     * @param postalCode postal code, or {@code null}
     * @param line       first address line, or {@code null}
     * @param inseeCode  INSEE commune code ({@code address.district} or an extension), or {@code null}
     */
    public record Place(java.util.List<String> ids, double lat, double lon, String postalCode, String line,
                        String inseeCode) {
        public Place {
            ids = java.util.List.copyOf(ids);
        }

        /** {@code true} when the Location says nothing a site could be matched by. */
        public boolean empty() {
            return ids.isEmpty() && Double.isNaN(lat) && postalCode == null && line == null && inseeCode == null;
        }

        /** Two positions this close are the same place (geocoders disagree by tens of metres). */
        public static final double SAME_PLACE_KM = 0.2;
    }
}
