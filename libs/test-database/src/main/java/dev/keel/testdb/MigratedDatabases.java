package dev.keel.testdb;

import dev.keel.db.liquibase.UpdateSelection;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Instant;
import java.util.HexFormat;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import liquibase.resource.ResourceAccessor;

/**
 * Migrated test databases of one changelog, handed out as clones of a template. The template is named after the
 * checksums of the changelog's changesets, so the first test JVM on a server builds it and later ones (the other
 * modules', later builds) clone it without migrating; a template that no test JVM has used for a day is dropped. As
 * soon as a clone is handed out the next one is made in the background, so a test that comes along later gets its
 * database without waiting for CREATE DATABASE.
 */
public final class MigratedDatabases {

    /** Serializes building a template across JVMs; an arbitrary constant. */
    private static final long TEMPLATE_LOCK = 7_406_118_202_611L;

    private static final ExecutorService CLONER = Executors.newSingleThreadExecutor(work -> {
        Thread thread = new Thread(work, "test-database-cloner");
        thread.setDaemon(true);
        return thread;
    });

    private final ResourceAccessor changelog;
    private final BlockingQueue<String> ahead = new LinkedBlockingQueue<>();
    private String template;

    /** {@code changelog} holds the master changelog at {@value TestPostgres#CHANGELOG}. */
    public MigratedDatabases(ResourceAccessor changelog) {
        this.changelog = changelog;
    }

    /** A new migrated database: the clone made ahead when there is one, otherwise a clone made now. */
    public String handOut() {
        String source = template();
        String name = ahead.poll();
        if (name == null) {
            name = TestPostgres.createDatabaseFrom(source);
        }
        CLONER.execute(() -> {
            try {
                ahead.add(TestPostgres.createDatabaseFrom(source));
            } catch (RuntimeException e) {
                // The next hand-out clones in the foreground and reports any problem itself.
            }
        });
        return name;
    }

    /** Whether a clone made ahead is waiting. */
    public boolean cloneReady() {
        return !ahead.isEmpty();
    }

    /** The template, built here unless a database of that name is on the server already. */
    public synchronized String template() {
        if (template != null) {
            return template;
        }
        // Finding (or starting) the server takes as long as reading the changelog, and needs none of it.
        CompletableFuture<TestPostgres.Server> found = CompletableFuture.supplyAsync(TestPostgres::server,
                lookup -> new Thread(lookup, "test-database-server").start());
        String name;
        try {
            // The checksums cover the files changes read (sqlFile, loadData); the files' digest what checksums leave out.
            ChangelogChecksums.Checksums checksums = ChangelogChecksums.read(TestPostgres.CHANGELOG, changelog);
            name = "keel_template_" + HexFormat.of().formatHex(sha256(UpdateSelection.fromSettings().describe() + " " + checksums.byChangeset()
                    + " " + checksums.filesDigest())).substring(0, 16);
        } catch (Exception e) {
            // A server started meanwhile must be registered for its stop at exit before the failure ends the JVM.
            found.exceptionally(notFound -> null).join();
            throw new IllegalStateException("Cannot read the changelog " + TestPostgres.CHANGELOG + ": " + TestPostgres.rootMessage(e), e);
        }
        TestPostgres.Server server;
        try {
            server = found.join();
        } catch (CompletionException e) {
            throw e.getCause() instanceof RuntimeException cause ? cause : e;
        }
        try (Connection admin = server.connect(server.adminDatabase()); Statement statement = admin.createStatement()) {
            statement.execute("SELECT pg_advisory_lock(" + TEMPLATE_LOCK + ")");
            try {
                if (Catalog.lines(admin, "SELECT datname FROM pg_database WHERE datname = '" + name + "'").isEmpty()) {
                    // Built under another name, so a run killed half-way never leaves a template that looks complete.
                    String building = name + "_building";
                    statement.execute("DROP DATABASE IF EXISTS \"" + building + "\" WITH (FORCE)");
                    statement.execute("CREATE DATABASE \"" + building + "\"");
                    try {
                        TestPostgres.migrate(building, changelog);
                    } catch (RuntimeException e) {
                        // The changelog's own error is what the test run must report, even if this drop fails too.
                        try {
                            statement.execute("DROP DATABASE IF EXISTS \"" + building + "\" WITH (FORCE)");
                        } catch (SQLException dropFailed) {
                            e.addSuppressed(dropFailed);
                        }
                        throw e;
                    }
                    statement.execute("ALTER DATABASE \"" + building + "\" RENAME TO \"" + name + "\"");
                    dropStaleTemplates(admin, name);
                }
                stampLastUse(admin, name);
            } finally {
                statement.execute("SELECT pg_advisory_unlock(" + TEMPLATE_LOCK + ")");
            }
        } catch (SQLException e) {
            throw new IllegalStateException("Cannot prepare the test template " + name + " on " + server.source() + ": " + e.getMessage(), e);
        }
        template = name;
        return name;
    }

    /**
     * Stops making clones ahead; the JVM is ending. A clone already under way is waited for, so that it is recorded
     * and dropped with the rest: its CREATE DATABASE would finish on the server anyway.
     */
    static void stopCloning() {
        CLONER.shutdownNow();
        try {
            CLONER.awaitTermination(1, TimeUnit.MINUTES);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** Records when a test JVM last used a template, so {@link #dropStaleTemplates} keeps it for a day more. */
    private static void stampLastUse(Connection admin, String template) {
        try (Statement statement = admin.createStatement()) {
            statement.execute("COMMENT ON DATABASE \"" + template + "\" IS 'Keel test template, last used " + Instant.now() + "'");
        } catch (SQLException e) {
            // Only its owner may comment on it; it is then kept until its owner's builds let it age.
        }
    }

    /** Templates of other changelogs that no test JVM has used for a day. */
    private static void dropStaleTemplates(Connection admin, String current) throws SQLException {
        for (String stale : Catalog.lines(admin, "SELECT d.datname FROM pg_database d"
                + " WHERE d.datname LIKE 'keel\\_template\\_%' AND d.datname <> '" + current + "'"
                + " AND coalesce(substring(shobj_description(d.oid, 'pg_database') FROM 'last used (.*)$')::timestamptz, '-infinity')"
                + " < now() - interval '1 day'")) {
            try (Statement statement = admin.createStatement()) {
                statement.execute("DROP DATABASE IF EXISTS \"" + stale + "\"");
            } catch (SQLException e) {
                // Being cloned right now; a later build drops it.
            }
        }
    }

    private static byte[] sha256(String text) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
