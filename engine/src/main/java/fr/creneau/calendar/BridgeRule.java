package fr.creneau.calendar;

/**
 * One kind of "bridge" day (pont): a working day next to a public holiday that the PDSA covers
 * from 08:00 like a Sunday, so the SAS daytime channel is closed all day.
 *
 * <p>The rule comes from the PDSA regulation (Code de la santé publique, art. R6315-1) as the
 * seed document {@code 003} quotes it: "Le lundi lorsqu'il précède un jour férié, le vendredi et
 * le samedi lorsqu'ils suivent un jour férié". Read with the working week in mind, each constant
 * names the exact pair of days it links; a day that is itself a holiday is never called a bridge
 * day (it is PDSA anyway). The national defaults enable all four; a region whose
 * <i>cahier des charges</i> reads the text more narrowly disables some in its
 * {@link CareHoursConfig}.
 *
 * <p>Immutable enum, safe to share between threads.
 */
public enum BridgeRule {
    /** Monday, when Tuesday is a holiday ("le lundi lorsqu'il précède un jour férié"). */
    MONDAY_BEFORE_TUESDAY_HOLIDAY,
    /** Friday, when Thursday is a holiday ("le vendredi ... lorsqu'il suit un jour férié"). */
    FRIDAY_AFTER_THURSDAY_HOLIDAY,
    /** Saturday, when Friday is a holiday: the Saturday that literally follows it. */
    SATURDAY_AFTER_FRIDAY_HOLIDAY,
    /**
     * Saturday, when Thursday is a holiday: the Saturday of the bridge weekend, so that the PDSA
     * runs without a break from Thursday 08:00 to Monday 08:00 (Ascension, or 1 May, 8 May,
     * 14 July, 15 August, 1 and 11 November, 25 December, 1 January on a Thursday).
     */
    SATURDAY_AFTER_THURSDAY_HOLIDAY
}
