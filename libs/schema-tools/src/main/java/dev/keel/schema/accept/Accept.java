package dev.keel.schema.accept;

import dev.keel.db.liquibase.UpdateSelection;
import dev.keel.schema.AtomicFiles;
import dev.keel.schema.Project;
import dev.keel.schema.ShadowDatabase;
import dev.keel.schema.ToolOutput;
import dev.keel.schema.released.ReleasedChangesets;
import dev.keel.schema.snapshot.SnapshotFiles;
import dev.keel.testdb.Catalog;
import dev.keel.testdb.TestPostgres;
import java.nio.file.Path;
import java.sql.Connection;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * {@code mvn keel:accept}: accepts the changelog as it is now. It records
 * every new or revised (not yet released) changeset in {@code db/released-changesets.txt} and refreshes
 * {@code db/schema.sql} and {@code db/schema.md} from a throwaway database built from the changelog, writing the
 * three as one set. It refuses, writing nothing, when a released changeset has changed or when the changelog does
 * not apply.
 */
public final class Accept {

    private Accept() {
    }

    /** {@code mvn keel:accept}, through {@link dev.keel.schema.Tools}. */
    public static void run() throws Exception {
        accept(Project.current()).forEach(System.out::println);
    }

    /** What it did, one line each. */
    public static List<String> accept(Project project) throws Exception {
        ReleasedChangesets.State state = ReleasedChangesets.read(project);
        List<String> refused = ReleasedChangesets.releasedProblems(state);
        if (!refused.isEmpty()) {
            throw new ToolOutput.Refused(String.join(System.lineSeparator(), refused) + System.lineSeparator() + "Nothing was written.");
        }
        UpdateSelection selection = UpdateSelection.fromSettings();
        String[] applied = new String[1];
        SnapshotFiles snapshot = build(project, connection -> applied[0] = Catalog.lines(connection, "SELECT count(*) FROM databasechangelog").get(0));

        List<String> done = new ArrayList<>(ReleasedChangesets.acceptedChanges(state));
        if (!selection.describe().isEmpty()) {
            // A selection that leaves out nearly everything would pass on an all but empty schema: say how much it took.
            done.add(selection.describe() + ": " + applied[0] + " of the changelog's " + state.current().size() + " changeset ids apply");
        }
        List<String> stale = snapshot.differences(project);
        Map<Path, String> files = snapshot.files(project);
        files.put(project.releasedList(), ReleasedChangesets.text(state.current()));
        AtomicFiles.write(files);
        done.add(stale.isEmpty() ? project.relative(project.snapshot()) + " and " + project.relative(project.erPage()) + " were already up to date"
                : "refreshed " + project.relative(project.snapshot()) + " and " + project.relative(project.erPage()) + ", built on "
                + SnapshotFiles.builtOn());
        // Accepted, it still runs out of order where it stands: verify refuses it until it moves.
        List<String> order = ReleasedChangesets.orderProblems(state);
        done.addAll(order);
        done.add(order.isEmpty() ? "Review the changes (git diff db), then run: mvn verify"
                : "Review the changes (git diff db); mvn verify fails until the changesets above move");
        return done;
    }

    /** The snapshot of a database built from the changelog on disk, on a throwaway database, never the developer's. */
    public static SnapshotFiles build(Project project) throws Exception {
        return build(project, connection -> { });
    }

    private static SnapshotFiles build(Project project, SqlConsumer<Connection> alsoRead) throws Exception {
        String database = ShadowDatabase.of(project);
        try (Connection connection = TestPostgres.server().connect(database)) {
            alsoRead.accept(connection);
            return SnapshotFiles.render(connection, TestPostgres.APP_ROLE);
        } finally {
            ShadowDatabase.drop(database);
        }
    }

    private interface SqlConsumer<T> {
        void accept(T value) throws java.sql.SQLException;
    }
}
