package fr.creneau.directory;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;

import org.junit.jupiter.api.Test;

class CommunesTest {
    private final Communes communes = Communes.bundled();

    @Test
    void everyCommuneOfTheBundleIsInsideAFrenchTerritory() {
        assertEquals(34_973, communes.size());
        final Communes.Commune mende = communes.byInsee("48095");
        assertEquals("Mende", mende.name());
        assertEquals("48", mende.departement());
        assertEquals(Territory.METROPOLE, Territory.of(mende.lat(), mende.lon()));
        assertEquals(Territory.LA_REUNION, Territory.of(communes.byInsee("97411").lat(), communes.byInsee("97411").lon()));
    }

    @Test
    void aSharedPostalCodeResolvesToItsMostPopulousCommune() {
        // 48000 serves Mende and small neighbouring communes.
        assertEquals("48095", communes.byPostalCode("48000").inseeCode());
        assertEquals("75102", communes.byPostalCode("75002").inseeCode());
        assertNull(communes.byPostalCode("00000"));
        assertNull(communes.byInsee(null));
    }

    @Test
    void anAddressIsPlacedByInseeCodeFirst() {
        final Address both = new Address(List.of(), "75002", "Paris", "48095");
        assertEquals("48095", communes.of(both).inseeCode());
        assertEquals("75102", communes.of(new Address(List.of(), "75002", "Paris", null)).inseeCode());
        assertNull(communes.of(new Address(List.of(), null, "Nulle-part", null)));
        assertTrue(communes.of(null) == null);
    }
}
