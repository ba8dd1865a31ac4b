package dev.keel.schema;

import dev.keel.db.liquibase.SerializedHistoryInit;
import dev.keel.testdb.MigratedDatabases;
import dev.keel.testdb.TestPostgres;
import java.io.FileNotFoundException;
import java.util.List;
import liquibase.resource.DirectoryResourceAccessor;

/**
 * A throwaway database built from the changelog on disk, on the tests' server; never the developer's database. It is
 * a clone of the tests' template for this changelog (see {@link MigratedDatabases}), so the tools share the template
 * the tests built and migrate only when the changelog changed since.
 */
public final class ShadowDatabase {

    private static final int DETAIL_LINES = 6;

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
                    : "The changelog does not apply to an empty database: " + reason(TestPostgres.rootMessage(e)))
                    + System.lineSeparator() + "Fix the changeset, then run the command again. Nothing was written.");
        }
        return TestPostgres.createDatabaseFrom(template);
    }

    /**
     * The failure without update's advice (its second line), which is about a user's update, and none is involved.
     * A first line that ends in a colon, as Liquibase's "Validation Failed:", keeps the lines that say what failed.
     */
    static String reason(String failure) {
        List<String> lines = failure.lines().map(String::strip)
                .filter(line -> !line.isEmpty() && !line.startsWith(SerializedHistoryInit.FIX_WHAT_IT_NAMES)).toList();
        if (lines.isEmpty() || !lines.get(0).endsWith(":") || lines.size() == 1) {
            return lines.isEmpty() ? failure : lines.get(0);
        }
        int shown = Math.min(lines.size(), 1 + DETAIL_LINES);
        return lines.get(0) + " " + String.join("; ", lines.subList(1, shown))
                + (lines.size() > shown ? "; and " + (lines.size() - shown) + " more lines" : "");
    }

    public static void drop(String database) {
        TestPostgres.drop(database);
    }
}
