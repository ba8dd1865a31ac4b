package dev.keel.schema.rollback;

import dev.keel.db.liquibase.RollbackFailures;
import dev.keel.db.liquibase.UpdateSelection;
import dev.keel.testdb.Catalog;
import dev.keel.testdb.ChangesetNames;
import dev.keel.testdb.TestPostgres;
import java.sql.Connection;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;
import liquibase.Liquibase;
import liquibase.Scope;
import liquibase.change.Change;
import liquibase.change.DbmsTargetedChange;
import liquibase.change.core.EmptyChange;
import liquibase.changelog.ChangeLogHistoryServiceFactory;
import liquibase.changelog.ChangeSet;
import liquibase.changelog.DatabaseChangeLog;
import liquibase.database.Database;
import liquibase.database.DatabaseList;
import liquibase.database.jvm.JdbcConnection;
import liquibase.resource.ResourceAccessor;

/**
 * Every changeset can be rolled back, and its rollback restores exactly the schema that was there before it.
 * On an empty database the changelog is applied one changeset at a time, then rolled back one at a time. The
 * catalog's digest is taken every {@value #BLOCK} changesets on the way up and compared at the same points on
 * the way down, so the cost per changeset does not grow with the changelog. A changeset without a rollback (released
 * history) ends a walk down: the changesets between it and the previous one are rolled back, checked and applied
 * again before it runs, so the check stays linear however many there are. Where a block does not come back
 * as it was, its changesets are round-tripped one by one on a database rebuilt to the block's start, which
 * names the culprit. Each problem is one line naming the changeset, and one run names every bad changeset.
 */
public final class RollbackCheck {

    /** Changesets between two digests: fewer digests on a good changelog, more work to find a bad changeset. */
    static final int BLOCK = 20;

    private RollbackCheck() {
    }

    /** As below, with no changeset released. */
    public static List<String> problems(String database, String changelog, ResourceAccessor accessor) throws Exception {
        return problems(database, changelog, accessor, changeSet -> false);
    }

    /**
     * The problems found on {@code database} (empty when called), one line each; empty when every rollback is exact.
     * A released changeset ({@code released}, given {@code file::id::author}) is history: it is not asked for a
     * rollback it lacks, as an adopted changelog's often do; one it has must still restore the schema exactly.
     */
    public static List<String> problems(String database, String changelog, ResourceAccessor accessor, Predicate<String> released)
            throws Exception {
        return run(database, changelog, accessor, released).problems();
    }

    /** What a run found, and how many times it applied a changeset: the measure of its cost. */
    record Run(List<String> problems, int applied) {
    }

    static Run run(String database, String changelog, ResourceAccessor accessor, Predicate<String> released) throws Exception {
        List<String> problems = new ArrayList<>();
        int[] applied = new int[1];
        try (Connection connection = TestPostgres.migrationConnection(database)) {
            TestPostgres.quietly(() -> Scope.child(Map.of(Scope.Attr.resourceAccessor.name(), accessor), () -> {
                try (Liquibase liquibase = new Liquibase(changelog, accessor, new JdbcConnection(connection))) {
                    UpdateSelection selection = UpdateSelection.fromSettings();
                    selection.applyTo(liquibase.getChangeLogParameters());
                    DatabaseChangeLog changeLog = liquibase.getDatabaseChangeLog();
                    List<ChangeSet> changeSets = changeLog.getChangeSets().stream().filter(selection::applies).toList();
                    problems.addAll(missingRollbacks(changeSets.stream().filter(c -> !released.test(c.toString(false))).toList(),
                            liquibase.getDatabase()));
                    List<String> roundTrip = new ArrayList<>();
                    RoundTrip walk = new RoundTrip(changeLog, changelog, accessor, liquibase.getDatabase(), connection, changeSets, released);
                    walk.run(roundTrip);
                    applied[0] = walk.applied;
                    roundTrip.sort(Comparator.comparingInt(problem -> position(problem, changeSets)));
                    problems.addAll(roundTrip);
                }
            }));
        }
        return new Run(problems, applied[0]);
    }

    /** Changesets with neither a rollback block nor changes whose rollback Liquibase can derive. */
    static List<String> missingRollbacks(List<ChangeSet> changeSets, Database database) {
        List<String> problems = new ArrayList<>();
        for (ChangeSet changeSet : changeSets) {
            String change = changeWithoutRollback(changeSet, database);
            if (change != null) {
                problems.add(name(changeSet) + ": " + change + " has no automatic rollback; add a " + RollbackFailures.rollbackBlock(changeSet));
            }
        }
        return problems;
    }

    private static String changeWithoutRollback(ChangeSet changeSet, Database database) {
        if (!changeSet.getRollback().getChanges().isEmpty()) {
            return null;
        }
        for (Change change : changeSet.getChanges()) {
            if (!change.supportsRollback(database)) {
                return change.getSerializedObjectName();
            }
        }
        return null;
    }

    /**
     * A rollback that runs nothing on PostgreSQL: empty ({@code rollback:} with nothing in it, {@code <rollback/>}), or for
     * other databases only. On a released changeset it says that nothing is undone, deliberately (a column dropped with its
     * table, say), so the check takes it as having no rollback; on a new one it is checked like any other.
     */
    static boolean undoesNothing(ChangeSet changeSet) {
        List<Change> rollback = changeSet.getRollback().getChanges();
        return !rollback.isEmpty() && rollback.stream().allMatch(change -> change instanceof EmptyChange || change instanceof DbmsTargetedChange targeted
                && targeted.getDbms() != null && !targeted.getDbms().isBlank() && !DatabaseList.definitionMatches(targeted.getDbms(), "postgresql", true));
    }

    /** The walk up and down the changelog; after a problem it moves to a database rebuilt to a known state. */
    private static final class RoundTrip {

        private final DatabaseChangeLog changeLog;
        private final String changelogPath;
        private final ResourceAccessor accessor;
        private final List<ChangeSet> changeSets;
        private final Predicate<String> released;
        private Database database;
        private Connection connection;
        private Liquibase rebuilt;
        private final java.util.Set<ChangeSet> ranNothing = new java.util.HashSet<>();
        private String[] objectCounts;
        private String[] digest;
        private int applied;

        RoundTrip(DatabaseChangeLog changeLog, String changelogPath, ResourceAccessor accessor, Database database,
                  Connection connection, List<ChangeSet> changeSets, Predicate<String> released) {
            this.changeLog = changeLog;
            this.changelogPath = changelogPath;
            this.accessor = accessor;
            this.database = database;
            this.connection = connection;
            this.changeSets = changeSets;
            this.released = released;
        }

        void run(List<String> problems) throws Exception {
            try {
                prepare();
                int count = changeSets.size();
                // After the first i changesets: objectCounts[i] always; digest[i] at every block end and around
                // each changeset that cannot be rolled back, where a walk down starts and ends.
                objectCounts = new String[count + 1];
                digest = new String[count + 1];
                objectCounts[0] = Catalog.objectCounts(connection);
                digest[0] = Catalog.digest(connection);
                int bottom = 0; // the changesets after the first `bottom` can all be rolled back
                for (int i = 1; i <= count; i++) {
                    ChangeSet changeSet = changeSets.get(i - 1);
                    if (!reversible(changeSet)) {
                        if (i - 1 > bottom) {
                            walkDownAndUpAgain(bottom, i - 1, problems);
                        }
                        bottom = i;
                    }
                    try {
                        execute(changeSet);
                    } catch (Exception e) {
                        problems.add(name(changeSet) + ": does not apply: " + TestPostgres.rootMessage(e));
                        return; // every later changeset may depend on this one
                    }
                    objectCounts[i] = Catalog.objectCounts(connection);
                    if (i % BLOCK == 0 || i == count || !reversible(changeSet) || i < count && !reversible(changeSets.get(i))) {
                        digest[i] = Catalog.digest(connection);
                    }
                }
                if (count > bottom) {
                    walkDown(bottom, count, problems);
                }
            } finally {
                if (rebuilt != null) {
                    rebuilt.close();
                }
            }
        }

        /**
         * Below a changeset that cannot be rolled back, the run of changesets that can is rolled back and applied
         * again, so the walk goes on up from where it was: each changeset is applied at most twice more, however
         * many cannot be rolled back.
         */
        private void walkDownAndUpAgain(int bottom, int top, List<String> problems) throws Exception {
            walkDown(bottom, top, problems);
            for (int j = bottom + 1; j <= top; j++) {
                ChangeSet changeSet = changeSets.get(j - 1);
                try {
                    execute(changeSet);
                } catch (Exception e) {
                    // A rollback above it left something behind that the catalog's digest does not cover.
                    problems.add(name(changeSet) + ": does not apply again after its rollback (" + TestPostgres.rootMessage(e)
                            + "); make its rollback undo everything the changeset creates");
                    rebuild(top);
                    return;
                }
            }
        }

        /** Rolls back changesets {@code top} down to {@code bottom + 1}, which all have a rollback, checking each. */
        private void walkDown(int bottom, int top, List<String> problems) throws Exception {
            int checked = top; // the walk down has checked the database up to here
            for (int i = top; i > bottom; i--) {
                ChangeSet changeSet = changeSets.get(i - 1);
                try {
                    rollback(changeSet);
                } catch (Exception e) {
                    problems.add(name(changeSet) + ": its rollback fails: " + TestPostgres.rootMessage(e));
                    if (checked > i) {
                        locate(i, checked, problems);
                    }
                    rebuild(i - 1);
                    checked = i - 1;
                    continue;
                }
                if (!Catalog.objectCounts(connection).equals(objectCounts[i - 1])) {
                    findCulprits(i - 1, checked, problems);
                    checked = i - 1;
                } else if (digest[i - 1] != null) {
                    verify(i - 1, checked, problems);
                    checked = i - 1;
                }
            }
        }

        /** The database holds the first {@code at} changesets after rolling back those up to {@code top}: is it as it was? */
        private void verify(int at, int top, List<String> problems) throws Exception {
            if (top > at && !Catalog.digest(connection).equals(digest[at])) {
                findCulprits(at, top, problems);
            }
        }

        /** Names the changesets above {@code at}, up to {@code top}, whose rollback went wrong; then holds the first {@code at}. */
        private void findCulprits(int at, int top, List<String> problems) throws Exception {
            int found = problems.size();
            locate(at, top, problems);
            if (problems.size() == found) { // each alone round-trips; together they do not
                problems.add(name(changeSets.get(at)) + (top - at > 1 ? " to " + name(changeSets.get(top - 1)) : "")
                        + ": rolled back together, these changesets do not restore the schema before them");
            }
            rebuild(at);
        }

        /** Round-trips changesets {@code at + 1} to {@code top} one by one on a database rebuilt to hold the first {@code at}. */
        private void locate(int at, int top, List<String> problems) throws Exception {
            rebuild(at);
            for (int j = at + 1; j <= top; j++) {
                ChangeSet changeSet = changeSets.get(j - 1);
                List<String> before = Catalog.fingerprint(connection);
                execute(changeSet);
                try {
                    rollback(changeSet);
                } catch (Exception e) {
                    problems.add(name(changeSet) + ": its rollback fails: " + TestPostgres.rootMessage(e));
                    rebuild(j);
                    continue;
                }
                List<String> now = Catalog.fingerprint(connection);
                if (now.equals(before)) {
                    try {
                        execute(changeSet);
                    } catch (Exception e) {
                        // Its rollback left something behind that the catalog's fingerprint does not cover.
                        problems.add(name(changeSet) + ": does not apply again after its rollback (" + TestPostgres.rootMessage(e)
                                + "); make its rollback undo everything the changeset creates");
                        rebuild(j);
                    }
                    continue;
                }
                List<String> residue = new ArrayList<>(now);
                residue.removeAll(before);
                List<String> missing = new ArrayList<>(before);
                missing.removeAll(now);
                problems.add(name(changeSet) + ": its rollback does not restore the schema before it;"
                        + (residue.isEmpty() ? "" : " left behind " + residue) + (missing.isEmpty() ? "" : " missing " + missing)
                        + "; make its rollback undo exactly what the changeset does");
                rebuild(j);
            }
        }

        private boolean reversible(ChangeSet changeSet) {
            return changeWithoutRollback(changeSet, database) == null && !(undoesNothing(changeSet) && released.test(changeSet.toString(false)));
        }

        /** Moves to a new database that holds the first {@code count} changesets. */
        private void rebuild(int count) throws Exception {
            if (rebuilt != null) {
                rebuilt.close();
            }
            connection = TestPostgres.migrationConnection(TestPostgres.createEmptyDatabase());
            rebuilt = new Liquibase(changelogPath, accessor, new JdbcConnection(connection));
            database = rebuilt.getDatabase();
            prepare();
            for (ChangeSet changeSet : changeSets.subList(0, count)) {
                execute(changeSet);
            }
        }

        /**
         * Liquibase's history table, which changesets may refer to (a grant on it, a precondition on it). The
         * database is thrown away afterwards, so its commits need not wait for the disk.
         */
        private void prepare() throws Exception {
            try (Statement statement = connection.createStatement()) {
                statement.execute("SET synchronous_commit TO off");
            }
            ChangeLogHistoryServiceFactory.getInstance().getChangeLogService(database).init();
            database.commit();
        }

        /**
         * Rolls a changeset back as Keel's rollback does: one its precondition marked ran, skipped, or that failed with
         * failOnError: false ran nothing, so nothing is undone.
         */
        private void rollback(ChangeSet changeSet) throws Exception {
            if (!ranNothing.remove(changeSet)) {
                changeSet.rollback(database);
            }
            database.removeRanStatus(changeSet);
            database.commit();
        }

        /** Applies a changeset and records it, as an update does: one it skipped or that failed harmlessly goes unrecorded. */
        private void execute(ChangeSet changeSet) throws Exception {
            applied++;
            ChangeSet.ExecType ran = changeSet.execute(changeLog, database);
            if (ran == ChangeSet.ExecType.MARK_RAN || ran == ChangeSet.ExecType.SKIPPED || ran == ChangeSet.ExecType.FAILED) {
                ranNothing.add(changeSet);
            } else {
                ranNothing.remove(changeSet);
            }
            if (ran != ChangeSet.ExecType.SKIPPED && ran != ChangeSet.ExecType.FAILED) {
                database.markChangeSetExecStatus(changeSet, ran == ChangeSet.ExecType.MARK_RAN ? ran : ChangeSet.ExecType.EXECUTED);
            }
            database.commit();
        }
    }

    /** Where in the changelog the changeset a problem names stands, so problems are listed in changelog order. */
    private static int position(String problem, List<ChangeSet> changeSets) {
        for (int i = 0; i < changeSets.size(); i++) {
            String name = name(changeSets.get(i));
            if (problem.startsWith(name + ":") || problem.startsWith(name + " to ")) {
                return i;
            }
        }
        return changeSets.size();
    }

    private static String name(ChangeSet changeSet) {
        return ChangesetNames.of(changeSet);
    }
}
