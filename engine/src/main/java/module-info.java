/**
 * Créneau's engine: aggregation, off-heap index, regulator search and booking of the next 48 hours
 * of GP slots for the SAS.
 *
 * <p>The host API is what is exported: the {@link fr.creneau.Creneau} facade; queries and results
 * ({@code rank}); booking ({@code booking}) and its outbox of messages for the LRM
 * ({@code booking.outbox}); outcomes and indicators ({@code outcome}); the audit log ({@code audit}); feed parsing, reports and their errors ({@code feed});
 * the directory's types ({@code directory}); SAS and PDSA hours ({@code calendar}); the PDSA sectors and roster ({@code pdsa}); the live pull of the vendors' FHIR
 * servers ({@code pull}); slot
 * identity, time range and the read-only index view ({@code slot}); the common exception
 * ({@code error}). The index itself ({@code fr.creneau.index}: off-heap pages, cursors, cell
 * tables) is internal: hosts reach it only through the facade, whose lock keeps it to one writer.
 * Hosts on the class path (the examples, the benchmarks) see every public type, as before.
 */
module fr.creneau.engine {
    requires com.fasterxml.jackson.core;
    requires com.fasterxml.jackson.databind;
    requires org.agrona;
    // h3-java 4.x has no module name of its own: the automatic name comes from its file name.
    requires h3;
    // JTS (PDSA sectors): automatic module names from the jars' manifests.
    requires org.locationtech.jts;
    requires org.locationtech.jts.io;
    // The live pull (fr.creneau.pull) speaks HTTP with the JDK's own client.
    requires java.net.http;
    // The pull's per-vendor latency percentiles. HdrHistogram 2.2.2 declares no module name (no
    // Automatic-Module-Name either): the automatic name comes from its file name.
    requires HdrHistogram;
    // The journal compares its directory's owner with this process's uid (UnixSystem); optional:
    // without it (a trimmed runtime) the owner is compared by user name.
    requires static jdk.security.auth;

    exports fr.creneau;
    exports fr.creneau.audit;
    exports fr.creneau.booking;
    exports fr.creneau.booking.outbox;
    exports fr.creneau.calendar;
    exports fr.creneau.directory;
    exports fr.creneau.error;
    exports fr.creneau.feed;
    exports fr.creneau.outcome;
    exports fr.creneau.pdsa;
    exports fr.creneau.pull;
    exports fr.creneau.rank;
    exports fr.creneau.slot;
}
