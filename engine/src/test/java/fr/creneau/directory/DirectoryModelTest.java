package fr.creneau.directory;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.DayOfWeek;
import java.time.LocalTime;
import java.util.List;
import java.util.Set;

import org.junit.jupiter.api.Test;


/** The site and structure model every loader builds on. */
class DirectoryModelTest {
    private static final long RPPS = Long.parseLong(Rpps.withCheckDigit("1000000001"));

    @Test
    void anEntryWithoutSitesHasOneMainSiteAtItsOwnPositionAndPhone() {
        final Practitioner p = new Practitioner(RPPS, "Dr A", Profession.GP, 48.85, 2.35, "01 02 03 04 05",
            "doctolib", false, Participation.INDIVIDUAL, false, null, Territory.METROPOLE);
        assertEquals(1, p.sites().size());
        assertEquals(Site.MAIN, p.mainSite().id());
        assertEquals(48.85, p.mainSite().lat());
        assertEquals("01 02 03 04 05", p.mainSite().phone());
        assertFalse(p.mainSite().approximate());
        assertNull(p.structure());
        assertTrue(Double.isNaN(p.homeVisitRadiusKm()));
        assertSame(p.mainSite(), p.site(Site.MAIN));
        assertNull(p.site("s2"));
    }

    @Test
    void aPractitionerNeedsASiteAndAPositiveRadius() {
        assertThrows(IllegalArgumentException.class, () -> new Practitioner(RPPS, "Dr A", Profession.GP, 48.85,
            2.35, "01", null, false, Participation.NONE, false, null, Territory.METROPOLE, List.of(), null, null,
            Double.NaN));
        assertThrows(IllegalArgumentException.class, () -> new Practitioner(RPPS, "Dr A", Profession.GP, 48.85,
            2.35, "01", null, false, Participation.NONE, false, null, Territory.METROPOLE,
            List.of(Site.main(48.85, 2.35, "01")), null, null, -3));
    }

    @Test
    void anAddressReadsAsOneLineAndSkipsWhatIsUnknown() {
        assertEquals("12 rue de la Paix, 75002 Paris",
            new Address(List.of("12 rue de la Paix"), "75002", "Paris", "75102").oneLine());
        assertEquals("Bât. B, Mende", new Address(List.of(" ", "Bât. B"), null, "Mende", null).oneLine());
        assertEquals("48000", new Address(List.of(), "48000", null, null).oneLine());
    }

    @Test
    void anOpeningPeriodIsNeverEmptyAndKnowsWhenItRunsPastMidnight() {
        final WeeklyHours night = new WeeklyHours(Set.of(DayOfWeek.SATURDAY), LocalTime.of(20, 0), LocalTime.of(8, 0));
        assertTrue(night.overnight());
        assertTrue(new WeeklyHours(Set.of(DayOfWeek.MONDAY), LocalTime.of(20, 0), LocalTime.MIDNIGHT).overnight());
        assertFalse(new WeeklyHours(Set.of(DayOfWeek.MONDAY), LocalTime.of(8, 0), LocalTime.of(20, 0)).overnight());
        assertThrows(IllegalArgumentException.class,
            () -> new WeeklyHours(Set.of(), LocalTime.of(8, 0), LocalTime.of(20, 0)));
        assertThrows(IllegalArgumentException.class,
            () -> new WeeklyHours(Set.of(DayOfWeek.MONDAY), LocalTime.NOON, LocalTime.NOON));
    }

    @Test
    void structuresAreFoundByIdAndAnIdIsListedOnce() {
        final Structure cds = new Structure("750000001", StructureKind.CDS, "CDS Paix", "01 40 00 00 00", null,
            48.87, 2.33, false, List.of(), Territory.METROPOLE);
        final Directory.Builder b = Directory.builder().addStructure(cds);
        assertTrue(b.containsStructure("750000001"));
        assertThrows(IllegalArgumentException.class, () -> b.addStructure(cds));
        final Directory d = b.build();
        assertSame(cds, d.structure("750000001"));
        assertNull(d.structure("nope"));
        assertEquals(List.of(cds), List.copyOf(d.structures()));
        assertTrue(cds.alwaysOpen());
        assertTrue(Directory.builder(d).build().structures().isEmpty(), "a reload lists its structures again");
    }
}
