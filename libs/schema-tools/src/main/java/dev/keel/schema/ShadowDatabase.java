package dev.keel.schema;

import dev.keel.testdb.MigratedDatabases;
import dev.keel.testdb.TestPostgres;
import java.io.FileNotFoundException;
import liquibase.resource.DirectoryResourceAccessor;

/**
 * A throwaway database built from the changelog on disk, on the tests' server; never the developer's database. It is
 * a clone of the tests' template for this changelog (see {@link MigratedDatabases}), so the tools share the template
 * the tests built and migrate only when the changelog changed since.
 */
public final class ShadowDatabase {

    private ShadowDatabase() {
    }

    /** Creates one; refuses, naming PostgreSQL's own words, when the changelog does not apply. */
    public static String of(Project project) throws FileNotFoundException {
        String template;
        try {
            template = new MigratedDatabases(new DirectoryResourceAccessor(project.resources())).template();
        } catch (TestPostgres.NoServer e) {
            throw e; // the server's fault, not the changelog's: it says what to fix
        } catch (IllegalStateException e) {
            String unparsable = ToolOutput.unparsable(e);
            throw new ToolOutput.Refused((unparsable != null ? "The changelog cannot be read: " + unparsable
                    // Only the failure's first line: the rest is update's advice, and no update of the user's is involved.
                    : "The changelog does not apply to an empty database: " + TestPostgres.rootMessage(e).lines().findFirst().orElse(""))
                    + System.lineSeparator() + "Fix the changeset, then run the command again. Nothing was written.");
        }
        return TestPostgres.createDatabaseFrom(template);
    }

    public static void drop(String database) {
        TestPostgres.drop(database);
    }
}
