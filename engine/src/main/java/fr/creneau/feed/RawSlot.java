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
 */
public record RawSlot(
    String id,
    String rpps,
    String start,
    String end,
    int modalities,
    Visibility visibility,
    boolean bookable,
    String bookingUrl) {
}
