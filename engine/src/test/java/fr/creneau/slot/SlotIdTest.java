package fr.creneau.slot;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Instant;

import org.junit.jupiter.api.Test;

import fr.creneau.directory.VendorRegistry;

class SlotIdTest {
    @Test
    void theManualSourceIdIsTheFeedsOne() {
        // Repeated in the leaf package so it does not depend on the feed package: they must agree.
        assertThat(SlotId.MANUAL_SOURCE).isEqualTo(fr.creneau.feed.SlotRecord.MANUAL);
    }

    private final VendorRegistry vendors = VendorRegistry.defaults();

    @Test
    void shouldRoundTripThroughText() {
        final SlotId id = SlotId.of(vendors, vendors.require("MonMédecin.org").id(), 10000000017L,
            Minutes.floor(Instant.parse("2026-11-23T13:00:00Z")));
        assertThat(id.toString()).isEqualTo("monmedecinorg.10000000017.20261123T1300Z");
        assertThat(SlotId.parse(id.toString())).isEqualTo(id);
        assertThat(id.sourceId(vendors)).isEqualTo(vendors.require("monmedecin.org").id());
    }

    /** Sibling of defect 12.11: one slot, one text. Another spelling of the source is not the same id. */
    @Test
    void anIdHasOneSpellingOnly() {
        for (final String other : new String[] {"DOCTOLIB.10000000017.20261123T1300Z", "Doc-tolib.10000000017.20261123T1300Z",
            "doctolib .10000000017.20261123T1300Z", "Manual.10000000017.20261123T1300Z"}) {
            assertThatThrownBy(() -> SlotId.parse(other)).isInstanceOf(SlotId.MalformedSlotIdException.class)
                .hasMessageContaining("lower-case");
        }
        final String canonical = "doctolib.10000000017.20261123T1300Z";
        assertThat(SlotId.parse(canonical).toString()).isEqualTo(canonical);
    }

    @Test
    void manualSlotsHaveTheManualSource() {
        final SlotId id = SlotId.of(vendors, 0, 10000000041L, 100);
        assertThat(id.toString()).startsWith("manual.10000000041.");
        assertThat(id.sourceId(vendors)).isZero();
    }

    @Test
    void shouldRejectMalformedIds() {
        assertThatThrownBy(() -> SlotId.parse("doctolib-10000000017")).isInstanceOf(SlotId.MalformedSlotIdException.class);
        assertThatThrownBy(() -> SlotId.parse("doctolib.10000000018.20261123T1300Z")).hasMessageContaining("Luhn");
        assertThatThrownBy(() -> SlotId.parse("doctolib.10000000017.2026-11-23")).hasMessageContaining("UTC");
        assertThat(SlotId.parse("unknownvendor.10000000017.20261123T1300Z").sourceId(vendors)).isEqualTo(-1);
    }
}
