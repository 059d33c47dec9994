package fr.creneau.booking;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import fr.creneau.Creneau;
import fr.creneau.index.SteppedClock;

/** Only one process owns a journal directory at a time; the OS lock goes with the process. */
@Timeout(120) // a guard against a hung child, not a timing assertion
class JournalOwnershipTest {
    @TempDir
    Path dir;

    private Creneau.Builder builder() {
        return World.builder(new SteppedClock(World.NOW)).journal(dir.resolve("journal"));
    }

    @Test
    void aSecondProcessIsRefusedWithATypedErrorNamingTheOwner() throws Exception {
        try (ChildJvm owner = ChildJvm.start(dir, JournalOwner.class, "hold", dir.resolve("journal").toString())) {
            final long pid = Long.parseLong(owner.await("OWNED ").split(" ")[1]);
            assertThat(pid).isEqualTo(owner.process.pid());
            assertThatThrownBy(() -> builder().build())
                .isInstanceOf(JournalLockedException.class)
                .hasMessageContaining("another process (pid " + pid + ")");

            owner.process.getOutputStream().close(); // let it close its Creneau
            owner.await("CLOSED");
            assertThat(owner.process.waitFor()).isZero();
        }
        builder().build().close(); // free again
    }

    @Test
    void whileThisProcessOwnsTheJournalAChildProcessIsRefused() throws Exception {
        try (Creneau mine = builder().build();
             ChildJvm other = ChildJvm.start(dir, JournalOwner.class, "try", dir.resolve("journal").toString())) {
            assertThat(mine.bookings().replayReport().records()).isZero();
            assertThat(other.await("REFUSED ")).startsWith("REFUSED JournalLockedException")
                .contains("pid " + ProcessHandle.current().pid());
            assertThat(other.process.waitFor()).isZero();
        }
    }

    @Test
    void aSecondInstanceRefusedInThisProcessDoesNotDropTheFirstOnesLock() throws Exception {
        try (Creneau mine = builder().build()) {
            // Refused in this process; the attempt must not have released the OS lock (closing any
            // descriptor of the lock file would).
            assertThatThrownBy(() -> builder().build()).isInstanceOf(JournalLockedException.class)
                .hasMessageContaining("in this process");
            assertThatThrownBy(() -> JournalRepair.repair(dir.resolve("journal")))
                .isInstanceOf(JournalLockedException.class);
            try (ChildJvm other = ChildJvm.start(dir, JournalOwner.class, "try", dir.resolve("journal").toString())) {
                assertThat(other.await("REFUSED ")).startsWith("REFUSED JournalLockedException");
                assertThat(other.process.waitFor()).isZero();
            }
        }
    }

    @Test
    void aKilledOwnerLeavesTheJournalFreeToOpen() throws Exception {
        try (ChildJvm owner = ChildJvm.start(dir, JournalOwner.class, "hold", dir.resolve("journal").toString())) {
            owner.await("OWNED ");
            owner.process.toHandle().destroyForcibly(); // SIGKILL: no close() ran
            owner.process.waitFor();
        }
        builder().build().close();
    }
}
