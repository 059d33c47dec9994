package fr.creneau.examples.cli;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;

import picocli.CommandLine.Option;

import fr.creneau.booking.BookingStore;
import fr.creneau.store.postgres.PostgresBookingStore;
import fr.creneau.store.postgres.PostgresClaimStore;
import fr.creneau.store.postgres.StoreUrl;

/**
 * {@code --store URL}: keep holds, bookings, outcomes and messages in PostgreSQL, shared by every
 * host (a picocli mixin of {@code book}, {@code release}, {@code search}, {@code outcome} and
 * {@code messages}); without it the journal in {@code DIR/journal/} stays the default.
 *
 * <p>The host's name in the store is {@code CRENEAU_HOST} when set, else the machine's name: a
 * command replays (and releases) the claims made under that name. Holds are dated by the
 * database's clock, except when the command is given {@code --now}: then by that instant, as
 * every other part of the command is.
 */
final class StoreOption {
    @Option(names = "--store", paramLabel = "URL",
        description = "postgresql://host:port/db?user=... : holds and bookings shared with other hosts "
            + "(default: the journal in DIR/journal/).")
    String url;

    /** Whether the command's instant was given ({@code --now}): then the store's clock is it. */
    private boolean fixedNow;

    /** This option, or {@code null} when {@code --store} was not given. */
    StoreOption orNull(final boolean nowGiven) {
        if (url == null) {
            return null;
        }
        try {
            StoreUrl.toJdbc(url);
        } catch (final IllegalArgumentException e) {
            throw new UserError("--store: " + e.getMessage());
        }
        this.fixedNow = nowGiven;
        return this;
    }

    BookingStore.Opener opener(final Instant now) {
        PostgresClaimStore.Config c = PostgresClaimStore.Config.of(url, hostId());
        if (fixedNow) {
            c = c.withClock(Clock.fixed(now, ZoneOffset.UTC));
        }
        return PostgresBookingStore.opener(c, Duration.ofDays(7));
    }

    static String hostId() {
        final String env = System.getenv("CRENEAU_HOST");
        if (env != null && !env.isBlank()) {
            return env.strip();
        }
        try {
            return InetAddress.getLocalHost().getHostName();
        } catch (final UnknownHostException e) {
            return "creneau-cli";
        }
    }
}
