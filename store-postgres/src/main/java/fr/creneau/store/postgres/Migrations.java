package fr.creneau.store.postgres;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Versioned schema migrations: the SQL files under {@code migrations/}, applied in order, each in
 * its own transaction, recorded in {@code creneau_schema_version} with a SHA-256 of its text.
 *
 * <p><b>Why not Flyway.</b> Three files do not need a framework, and a host that embeds Créneau
 * often carries its own Flyway or Liquibase at another version: two copies on one class path
 * clash. PostgreSQL's DDL is transactional, so a migration either lands whole or not at all, and a
 * transaction-scoped advisory lock serialises hosts that start at once (the second waits, then
 * sees the version the first wrote). What Flyway would add over this is what we check here too:
 * an applied file whose text changed since is refused ({@link SchemaException}), and so is a
 * database newer than this code.
 *
 * <p>Thread-safe (stateless); safe to run from several hosts at once.
 */
public final class Migrations {
    /** The migrations, in order; version = position + 1. Never edit an applied one: add a file. */
    static final List<String> FILES = List.of("V1__claims.sql", "V2__booking_store.sql", "V3__outcome_ids.sql",
        "V4__hosts.sql");
    /** Arbitrary constant naming Créneau's migration lock among the database's advisory locks. */
    private static final long LOCK = 0x43524e4155L; // "CRNAU"

    private Migrations() {
    }

    /** What {@link #migrate(String)} did. */
    public record Result(int applied, int version) {
    }

    /**
     * Connects to a store URL ({@code postgresql://host:port/db?user=…} or a JDBC URL) and creates
     * or upgrades its schema: {@code creneau store migrate}.
     *
     * @throws StoreUnavailableException when the database cannot be reached
     * @throws SchemaException           when the schema is newer than this code or was altered
     */
    public static Result migrate(final String storeUrl) {
        final String jdbc = StoreUrl.toJdbc(storeUrl);
        try (Connection c = java.sql.DriverManager.getConnection(jdbc)) {
            final int applied = migrate(c);
            return new Result(applied, current(c));
        } catch (final SQLException e) {
            if (PostgresClaimStore.unavailable(e)) {
                throw new StoreUnavailableException("the store at " + jdbc.replaceAll("\\?.*", "")
                    + " is unreachable: " + e.getMessage(), e);
            }
            throw new StoreException("migrating the schema failed: " + e.getMessage(), e);
        }
    }

    /** The schema version this code writes. */
    public static int latest() {
        return FILES.size();
    }

    /**
     * Creates or upgrades the schema.
     *
     * @return the number of migrations applied now (0 when already up to date)
     * @throws SchemaException when the database is newer than this code or an applied file changed
     * @throws SQLException    when the database fails
     */
    public static int migrate(final Connection c) throws SQLException {
        final boolean autoCommit = c.getAutoCommit();
        c.setAutoCommit(false);
        try {
            int applied = 0;
            for (int version = 1; version <= FILES.size(); version++) {
                try (Statement s = c.createStatement()) {
                    s.execute("SELECT pg_advisory_xact_lock(" + LOCK + ")");
                    s.execute("CREATE TABLE IF NOT EXISTS creneau_schema_version (version integer PRIMARY KEY,"
                        + " name text NOT NULL, checksum text NOT NULL, applied_at timestamptz NOT NULL DEFAULT now())");
                }
                final Map<Integer, String[]> known = appliedVersions(c);
                final int newest = known.isEmpty() ? 0 : ((TreeMap<Integer, String[]>) known).lastKey();
                if (newest > FILES.size()) {
                    c.rollback();
                    throw new SchemaException("the database's schema is at version " + newest
                        + ", newer than this Créneau's " + FILES.size() + ": upgrade Créneau");
                }
                final String name = FILES.get(version - 1);
                final String sql = read(name);
                final String checksum = sha256(sql);
                final String[] row = known.get(version);
                if (row != null) {
                    c.rollback();
                    if (!row[0].equals(name) || !row[1].equals(checksum)) {
                        throw new SchemaException("migration " + version + " applied as " + row[0] + " (" + row[1]
                            + ") differs from this Créneau's " + name + " (" + checksum + ")");
                    }
                    continue;
                }
                try (Statement s = c.createStatement()) {
                    s.execute(sql);
                }
                try (PreparedStatement ps = c.prepareStatement(
                    "INSERT INTO creneau_schema_version (version, name, checksum) VALUES (?, ?, ?)")) {
                    ps.setInt(1, version);
                    ps.setString(2, name);
                    ps.setString(3, checksum);
                    ps.executeUpdate();
                }
                c.commit();
                applied++;
            }
            return applied;
        } catch (final SQLException | RuntimeException e) {
            try {
                c.rollback();
            } catch (final SQLException suppressed) {
                e.addSuppressed(suppressed);
            }
            throw e;
        } finally {
            c.setAutoCommit(autoCommit);
        }
    }

    /** The version of the schema in the database (0 when it has none). */
    public static int current(final Connection c) throws SQLException {
        try (Statement s = c.createStatement();
             ResultSet rs = s.executeQuery("SELECT to_regclass('creneau_schema_version') IS NOT NULL")) {
            rs.next();
            if (!rs.getBoolean(1)) {
                return 0;
            }
        }
        try (Statement s = c.createStatement();
             ResultSet rs = s.executeQuery("SELECT coalesce(max(version), 0) FROM creneau_schema_version")) {
            rs.next();
            return rs.getInt(1);
        }
    }

    private static Map<Integer, String[]> appliedVersions(final Connection c) throws SQLException {
        final TreeMap<Integer, String[]> m = new TreeMap<>();
        try (Statement s = c.createStatement();
             ResultSet rs = s.executeQuery("SELECT version, name, checksum FROM creneau_schema_version")) {
            while (rs.next()) {
                m.put(rs.getInt(1), new String[] {rs.getString(2), rs.getString(3)});
            }
        }
        return m;
    }

    static String read(final String name) {
        try (InputStream in = Migrations.class.getResourceAsStream("migrations/" + name)) {
            if (in == null) {
                throw new IllegalStateException("migration " + name + " missing from the class path");
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (final IOException e) {
            throw new IllegalStateException("cannot read migration " + name, e);
        }
    }

    private static String sha256(final String text) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256")
                .digest(text.getBytes(StandardCharsets.UTF_8)));
        } catch (final NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
