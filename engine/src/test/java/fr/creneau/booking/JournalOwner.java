package fr.creneau.booking;

import java.io.IOException;
import java.nio.file.Path;

import fr.creneau.Creneau;
import fr.creneau.index.SteppedClock;

/**
 * Child JVM for {@link JournalOwnershipTest}: {@code hold DIR} owns a journal until its stdin
 * closes; {@code try DIR} tries to own one and says what happened.
 */
public final class JournalOwner {
    private JournalOwner() {
    }

    public static void main(final String[] args) throws IOException {
        final Path dir = Path.of(args[1]);
        final Creneau.Builder builder = World.builder(new SteppedClock(World.NOW)).journal(dir);
        if (args[0].equals("hold")) {
            try (Creneau c = builder.build()) {
                System.out.println("OWNED " + ProcessHandle.current().pid() + " " + c.bookings().replayReport().records());
                System.out.flush();
                while (System.in.read() >= 0) {
                    // Owns the directory until the parent closes our stdin.
                }
            }
            System.out.println("CLOSED");
        } else {
            try (Creneau c = builder.build()) {
                System.out.println("OPENED " + c.bookings().replayReport().records());
            } catch (final JournalException e) {
                System.out.println("REFUSED " + e.getClass().getSimpleName() + " " + e.getMessage());
            }
        }
        System.out.flush();
    }
}
