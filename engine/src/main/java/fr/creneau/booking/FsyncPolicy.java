package fr.creneau.booking;

/**
 * When the journal forces its appends to the storage device before an operation is acknowledged.
 * Every policy writes the record to the file (the OS page cache) before the acknowledgement.
 */
public enum FsyncPolicy {
    /**
     * Each append is forced ({@code fdatasync}) before the next one is written and before the call
     * returns: one force per hold, confirmation, release or expiry. Survives power loss; slowest
     * under concurrency.
     */
    ALWAYS,
    /**
     * Group commit: an append is forced before the call returns, but callers that arrive while a
     * force is in flight share the next one, so N concurrent operations cost about one force
     * instead of N. Same guarantee as {@link #ALWAYS}.
     */
    GROUP,
    /**
     * No force: acknowledged records are in the OS page cache. Survives a crash or kill of the
     * process, not a power loss or a kernel crash (the last seconds of records may be lost, the
     * last one torn: replay drops a torn tail).
     */
    NONE
}
