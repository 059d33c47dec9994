package fr.creneau.booking;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.OpenOption;
import java.nio.file.Path;
import java.nio.file.attribute.FileAttribute;
import java.util.Set;

/**
 * How the journal opens its files and directory. The real file system in production; tests give
 * a channel that fails a chosen write or force, to reproduce ENOSPC and EIO without a full or
 * failing disk. Implementations must be thread-safe.
 */
@FunctionalInterface
interface JournalIo {
    JournalIo REAL = FileChannel::open;

    FileChannel open(Path path, Set<? extends OpenOption> options, FileAttribute<?>... attributes) throws IOException;
}
