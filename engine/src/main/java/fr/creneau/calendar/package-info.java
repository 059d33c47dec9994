/**
 * SAS and PDSA hours and French public holidays: which unscheduled-care channel is open at an
 * instant ({@link fr.creneau.calendar.CareHours#channelAt}), when it next changes, and whether a
 * day is a public holiday ({@link fr.creneau.calendar.PublicHolidays}) or a bridge day
 * ({@link fr.creneau.calendar.BridgeRule}).
 *
 * <p>National rules are {@link fr.creneau.calendar.CareHoursConfig#defaults()}; a region's
 * <i>cahier des charges</i> (other hours, Alsace-Moselle holidays, an overseas time zone, extra
 * local holidays, fewer bridge days) is a {@link fr.creneau.calendar.CareHoursConfig} built from
 * them. The holidays are the Etalab data set (Licence Ouverte) bundled in the jar for 2006-2031;
 * nothing is read outside the class path at run time, and a date past the bundle's range is a
 * {@link fr.creneau.calendar.HolidayRangeException}, never a silent "not a holiday".
 */
package fr.creneau.calendar;
