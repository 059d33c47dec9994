package fr.creneau.examples.data;

import java.time.ZoneId;

import fr.creneau.directory.Cpts;
import fr.creneau.directory.Participation;
import fr.creneau.directory.Profession;
import fr.creneau.directory.Vendor;

/**
 * One generated directory entry: the fields of {@code practitioners.json} plus what the slot
 * generation needs (département, zone, holiday zone, agenda habits).
 *
 * <p>Immutable and thread-safe.
 *
 * @param rpps        eleven digits, valid Luhn key
 * @param lat         WGS84 degrees, rounded to 6 decimals (~0.1 m) as written
 * @param lon         WGS84 degrees, rounded to 6 decimals
 * @param phone       national format "0X XX XX XX XX"
 * @param vendor      booking vendor, or {@code null} (manual entry only)
 * @param cpts        CPTS the practitioner belongs to, or {@code null}; set whenever participation is CPTS
 * @param dep         INSEE département code
 * @param zone        civil time zone of the territory ({@code Territory.of(lat, lon).zone()})
 * @param holidayZone public-holiday zone ({@link PublicHolidays#zoneOf})
 * @param commune     the commune the practitioner was placed in (its main site's address)
 */
record GeneratedPractitioner(
    String rpps,
    String name,
    Profession profession,
    double lat,
    double lon,
    String phone,
    Vendor vendor,
    boolean refusesVendorSlots,
    Participation participation,
    boolean acceptsExtraPatients,
    Cpts cpts,
    String dep,
    ZoneId zone,
    String holidayZone,
    AgendaProfile agenda,
    ReferenceData.Commune commune) {
}
