package dev.keel.schema;

import dev.keel.testdb.TestPostgres;
import java.io.FileNotFoundException;
import liquibase.resource.DirectoryResourceAccessor;

/** A throwaway database built from the changelog on disk, on the tests' server; never the developer's database. */
public final class ShadowDatabase {

    private ShadowDatabase() {
    }

    /** Creates and migrates one; refuses, naming PostgreSQL's own words, when the changelog does not apply. */
    public static String of(Project project) throws FileNotFoundException {
        String database = TestPostgres.createEmptyDatabase();
        try {
            TestPostgres.migrate(database, new DirectoryResourceAccessor(project.resources()));
            return database;
        } catch (IllegalStateException e) {
            TestPostgres.drop(database);
            throw new ToolOutput.Refused("The changelog does not apply to an empty database: " + TestPostgres.rootMessage(e)
                    + System.lineSeparator() + "Fix the changeset, then run the command again. Nothing was written.");
        }
    }
}
