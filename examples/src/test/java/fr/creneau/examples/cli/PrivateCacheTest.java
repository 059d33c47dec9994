package fr.creneau.examples.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The embedded sample's cache is the user's own: never a link, never open to others. */
class PrivateCacheTest {
    @TempDir
    Path tmp;

    @AfterEach
    void clear() {
        System.clearProperty("creneau.cache");
    }

    @Test
    void aMissingCacheIsCreatedOwnerOnly() throws IOException {
        final Path cache = tmp.resolve("a/b/creneau");
        System.setProperty("creneau.cache", cache.toString());
        assertEquals(cache, DataSet.privateCache());
        assertEquals("rwx------", PosixFilePermissions.toString(Files.getPosixFilePermissions(cache)));
    }

    @Test
    void aLinkPlantedWhereTheCacheGoesIsRefused() throws IOException {
        final Path planted = Files.createDirectory(tmp.resolve("planted"));
        final Path cache = Files.createSymbolicLink(tmp.resolve("creneau"), planted);
        System.setProperty("creneau.cache", cache.toString());
        final UserError e = assertThrows(UserError.class, DataSet::privateCache);
        assertTrue(e.getMessage().contains("is not a directory (or is a link)"), e.getMessage());
    }

    @Test
    void aCacheOthersCanWriteIsRefused() throws IOException {
        final Path cache = Files.createDirectory(tmp.resolve("creneau"));
        Files.setPosixFilePermissions(cache, PosixFilePermissions.fromString("rwxrwxrwx"));
        System.setProperty("creneau.cache", cache.toString());
        final UserError e = assertThrows(UserError.class, DataSet::privateCache);
        assertTrue(e.getMessage().contains("writable by others (rwxrwxrwx)"), e.getMessage());
    }
}
