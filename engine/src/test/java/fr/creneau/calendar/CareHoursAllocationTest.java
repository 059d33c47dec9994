package fr.creneau.calendar;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.lang.management.ManagementFactory;
import java.time.Instant;
import java.time.LocalDate;
import org.junit.jupiter.api.Test;

/**
 * The lookup path promises no allocation: the ranking calls it per candidate slot. Measured with
 * HotSpot's per-thread allocation counter, skipped on JVMs without it.
 */
class CareHoursAllocationTest {

    @Test
    void channelAtAndHolidayLookupAllocateNothing() {
        final java.lang.management.ThreadMXBean std = ManagementFactory.getThreadMXBean();
        assumeTrue(std instanceof com.sun.management.ThreadMXBean, "no allocation counter");
        final com.sun.management.ThreadMXBean bean = (com.sun.management.ThreadMXBean) std;
        assumeTrue(bean.isThreadAllocatedMemorySupported(), "no allocation counter");
        bean.setThreadAllocatedMemoryEnabled(true);

        final CareHours hours = CareHours.defaults();
        final PublicHolidays holidays = hours.holidays();
        // Instants every 37 minutes over 2025, clock changes included, built before measuring.
        final Instant[] instants = new Instant[14_000];
        final long start = Instant.parse("2025-01-01T00:00:00Z").getEpochSecond();
        for (int i = 0; i < instants.length; i++) {
            instants[i] = Instant.ofEpochSecond(start + i * 37L * 60);
        }
        final long firstDay = LocalDate.of(2006, 1, 1).toEpochDay();

        int sink = run(hours, holidays, instants, firstDay);
        final long before = bean.getCurrentThreadAllocatedBytes();
        for (int round = 0; round < 10; round++) {
            sink += run(hours, holidays, instants, firstDay);
        }
        final long allocated = bean.getCurrentThreadAllocatedBytes() - before;

        assertThat(sink).isPositive();
        // 140,000 calls of each: even one small object per call would be megabytes. The margin
        // leaves room for the counter's own bookkeeping.
        assertThat(allocated).isLessThan(64 * 1024);
    }

    private static int run(final CareHours hours, final PublicHolidays holidays,
                           final Instant[] instants, final long firstDay) {
        int sas = 0;
        for (int i = 0; i < instants.length; i++) {
            if (hours.channelAt(instants[i]) == CareChannel.SAS) {
                sas++;
            }
            if (holidays.isHoliday(HolidayZone.ALSACE_MOSELLE, firstDay + i % 9_000)) {
                sas++;
            }
        }
        return sas;
    }
}
