package dev.keel.schema;

import dev.keel.testdb.MigratedDatabases;
import dev.keel.testdb.TestPostgres;
import dev.keel.schema.drift.SchemaDrift;
import java.io.FileNotFoundException;
import java.sql.Connection;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import liquibase.database.jvm.JdbcConnection;
import liquibase.resource.DirectoryResourceAccessor;
import liquibase.snapshot.DatabaseSnapshot;

/**
 * A throwaway database built from the changelog on disk, on the tests' server; never the developer's database. It is
 * a clone of the tests' template for this changelog (see {@link MigratedDatabases}), so the tools share the template
 * the tests built and migrate only when the changelog changed since.
 */
public final class ShadowDatabase {

    private static final Map<String, MigratedDatabases> CLONES = new ConcurrentHashMap<>();
    private static final ExecutorService DROPS = Executors.newSingleThreadExecutor(work -> {
        Thread thread = new Thread(work, "shadow-database-drops");
        thread.setDaemon(true);
        return thread;
    });
    /** The template each shadow database handed out in clone-ahead mode was cloned from, until it is dropped. */
    private static final Map<String, String> TEMPLATES = new ConcurrentHashMap<>();
    private static final Object SNAPSHOT_LOCK = new Object();
    private static TemplateSnapshot snapshot;
    private static volatile boolean cloneAhead;

    private record TemplateSnapshot(String template, DatabaseSnapshot snapshot) {
    }

    private ShadowDatabase() {
    }

    /** Creates one; refuses, naming PostgreSQL's own words, when the changelog does not apply. */
    public static String of(Project project) throws FileNotFoundException {
        String template;
        try {
            template = new MigratedDatabases(new DirectoryResourceAccessor(project.resources())).template();
        } catch (IllegalStateException e) {
            throw new ToolOutput.Refused("The changelog does not apply to an empty database: " + TestPostgres.rootMessage(e)
                    + System.lineSeparator() + "Fix the changeset, then run the command again. Nothing was written.");
        }
        if (!cloneAhead) {
            return TestPostgres.createDatabaseFrom(template);
        }
        if (!CLONES.containsKey(template)) {
            // The changelog changed: the clones made ahead of its earlier templates will never be handed out.
            CLONES.values().forEach(earlier -> DROPS.execute(earlier::dropClonesAhead));
            CLONES.clear();
        }
        String shadow = CLONES.computeIfAbsent(template, MigratedDatabases::of).handOut();
        TEMPLATES.put(shadow, template);
        return shadow;
    }

    /**
     * Liquibase's snapshot of a shadow database, reached through {@code connection}. Once {@link #cloneAhead()} is on, the
     * snapshot of the first clone of a template serves every later clone of it, which holds the same schema: reading the
     * catalog is most of what a warm generate does.
     */
    public static DatabaseSnapshot snapshot(String shadow, Connection connection) throws Exception {
        String template = TEMPLATES.get(shadow);
        if (template == null) {
            return SchemaDrift.snapshot(connection);
        }
        synchronized (SNAPSHOT_LOCK) {
            if (snapshot == null || !snapshot.template().equals(template)) {
                snapshot = new TemplateSnapshot(template, SchemaDrift.snapshot(connection));
            }
            snapshot.snapshot().getDatabase().setConnection(new JdbcConnection(connection));
            return snapshot.snapshot();
        }
    }

    /** Drops a shadow database; in the background once {@link #cloneAhead()} is on, so the run does not wait for it. */
    public static void drop(String database) {
        TEMPLATES.remove(database);
        if (cloneAhead) {
            DROPS.execute(() -> TestPostgres.drop(database));
        } else {
            TestPostgres.drop(database);
        }
    }

    /**
     * From now on, each shadow database is handed out from a clone made ahead, the next one is made meanwhile, and the
     * used one is dropped after the run: for a JVM that serves many runs, the tools' warm JVM, where CREATE and DROP
     * DATABASE would otherwise be half of a run.
     */
    public static void cloneAhead() {
        cloneAhead = true;
    }
}
