package fr.creneau.audit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import fr.creneau.error.CreneauException;

/** The audit files: one per Paris day, owner-only, no link followed, old days deleted, a torn line ignored. */
class DailyAuditLogTest {
    @TempDir
    Path dir;

    private static AuditEvent at(final String instant) {
        return AuditEvent.of(Instant.parse(instant), AuditEvent.Type.HOLD, "c1", "anne").row("SLOT", 10000000017L, null,
            "maiia.10000000017.20261123T1000Z");
    }

    @Test
    void eventsGoToTheFileOfTheirParisDayOwnerOnlyAndReadBack() throws IOException {
        final Path audit = dir.resolve("audit");
        try (DailyAuditLog log = DailyAuditLog.open(audit, Duration.ofDays(30), true)) {
            log.append(at("2026-11-23T22:30:00Z")); // 23:30 in Paris: the 23rd
            log.append(at("2026-11-23T23:30:00Z")); // 00:30 in Paris: the 24th
            log.append(at("2026-11-24T08:00:00Z"));
            assertThat(log.failures()).isZero();
        }
        assertThat(Files.readAllLines(DailyAuditLog.file(audit, LocalDate.of(2026, 11, 23)))).hasSize(1);
        assertThat(Files.readAllLines(DailyAuditLog.file(audit, LocalDate.of(2026, 11, 24)))).hasSize(2);
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(
            DailyAuditLog.file(audit, LocalDate.of(2026, 11, 24)), LinkOption.NOFOLLOW_LINKS))).isEqualTo("rw-------");
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(audit, LinkOption.NOFOLLOW_LINKS)))
            .isEqualTo("rwx------");
        // An append in flight (no newline yet) is not read as an event.
        Files.writeString(DailyAuditLog.file(audit, LocalDate.of(2026, 11, 24)), "{\"at\":\"2026-",
            StandardCharsets.UTF_8, java.nio.file.StandardOpenOption.APPEND);
        final List<AuditEvent> read = DailyAuditLog.read(audit, LocalDate.of(2026, 11, 23), LocalDate.of(2026, 11, 24));
        assertThat(read).hasSize(3);
        assertThat(read.get(0)).isEqualTo(at("2026-11-23T22:30:00Z"));
    }

    @Test
    void daysOlderThanTheRetentionAreDeletedAsANewDayBegins() throws IOException {
        final Path audit = dir.resolve("audit");
        try (DailyAuditLog log = DailyAuditLog.open(audit, Duration.ofDays(2), false)) {
            log.append(at("2026-11-20T10:00:00Z"));
            log.append(at("2026-11-21T10:00:00Z"));
            log.append(at("2026-11-22T10:00:00Z"));
            assertThat(DailyAuditLog.file(audit, LocalDate.of(2026, 11, 20))).exists();
            log.append(at("2026-11-23T10:00:00Z")); // keeps the 21st and 22nd
        }
        assertThat(DailyAuditLog.file(audit, LocalDate.of(2026, 11, 20))).doesNotExist();
        assertThat(DailyAuditLog.file(audit, LocalDate.of(2026, 11, 21))).exists();
    }

    @Test
    void aLinkIsNeverFollowed() throws IOException {
        final Path target = Files.createDirectory(dir.resolve("elsewhere"));
        Files.createSymbolicLink(dir.resolve("audit-link"), target);
        assertThatThrownBy(() -> DailyAuditLog.open(dir.resolve("audit-link"), Duration.ofDays(2), false))
            .isInstanceOf(CreneauException.class).hasMessageContaining("symbolic link");
        // A planted link in place of a day's file: the append fails (counted), nothing written through it.
        final Path audit = dir.resolve("audit");
        final Path victim = Files.writeString(dir.resolve("victim.txt"), "untouched");
        try (DailyAuditLog log = DailyAuditLog.open(audit, Duration.ofDays(2), false)) {
            Files.createSymbolicLink(DailyAuditLog.file(audit, LocalDate.of(2026, 11, 23)), victim);
            log.append(at("2026-11-23T10:00:00Z"));
            assertThat(log.failures()).isEqualTo(1);
        }
        assertThat(Files.readString(victim)).isEqualTo("untouched");
    }
}
