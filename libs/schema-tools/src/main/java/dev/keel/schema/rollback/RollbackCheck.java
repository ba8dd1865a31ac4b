package dev.keel.schema.rollback;

import dev.keel.testdb.Catalog;
import dev.keel.testdb.TestPostgres;
import java.sql.Connection;
import java.util.ArrayList;
import java.util.List;
import liquibase.Contexts;
import liquibase.LabelExpression;
import liquibase.Liquibase;
import liquibase.change.Change;
import liquibase.changelog.ChangeSet;
import liquibase.database.Database;
import liquibase.database.jvm.JdbcConnection;
import liquibase.resource.ResourceAccessor;

/**
 * Every changeset can be rolled back, and its rollback restores exactly the schema that was there before it:
 * applies the changelog one changeset at a time on an empty database, rolls back one at a time comparing the
 * catalog with the state before each, then updates again. Each problem is one line naming the changeset.
 */
public final class RollbackCheck {

    private RollbackCheck() {
    }

    /** The problems found on {@code database} (empty when called), one line each; empty when every rollback is exact. */
    public static List<String> problems(String database, String changelog, ResourceAccessor accessor) throws Exception {
        List<String> problems = new ArrayList<>();
        try (Connection connection = TestPostgres.migrationConnection(database)) {
            TestPostgres.quietly(() -> {
                try (Liquibase liquibase = new Liquibase(changelog, accessor, new JdbcConnection(connection))) {
                    List<ChangeSet> changeSets = liquibase.getDatabaseChangeLog().getChangeSets();
                    problems.addAll(missingRollbacks(changeSets, liquibase.getDatabase()));
                    if (problems.isEmpty()) {
                        problems.addAll(roundTrip(liquibase, changeSets, connection));
                    }
                }
            });
        }
        return problems;
    }

    /** Changesets with neither a rollback block nor changes whose rollback Liquibase can derive. */
    static List<String> missingRollbacks(List<ChangeSet> changeSets, Database database) {
        List<String> problems = new ArrayList<>();
        for (ChangeSet changeSet : changeSets) {
            if (!changeSet.getRollback().getChanges().isEmpty()) {
                continue;
            }
            for (Change change : changeSet.getChanges()) {
                if (!change.supportsRollback(database)) {
                    problems.add(name(changeSet) + ": " + change.getSerializedObjectName() + " has no automatic rollback; add a rollback: block");
                    break;
                }
            }
        }
        return problems;
    }

    private static List<String> roundTrip(Liquibase liquibase, List<ChangeSet> changeSets, Connection connection) throws Exception {
        List<List<String>> schemaAfter = new ArrayList<>();
        schemaAfter.add(Catalog.fingerprint(connection));
        for (ChangeSet changeSet : changeSets) {
            try {
                liquibase.update(1, new Contexts(), new LabelExpression());
            } catch (Exception e) {
                return List.of(name(changeSet) + ": does not apply: " + TestPostgres.rootMessage(e));
            }
            schemaAfter.add(Catalog.fingerprint(connection));
        }
        for (int i = changeSets.size(); i > 0; i--) {
            ChangeSet changeSet = changeSets.get(i - 1);
            try {
                liquibase.rollback(1, null);
            } catch (Exception e) {
                return List.of(name(changeSet) + ": its rollback fails: " + TestPostgres.rootMessage(e));
            }
            List<String> now = Catalog.fingerprint(connection);
            List<String> expected = schemaAfter.get(i - 1);
            if (!now.equals(expected)) {
                List<String> residue = new ArrayList<>(now);
                residue.removeAll(expected);
                List<String> missing = new ArrayList<>(expected);
                missing.removeAll(now);
                return List.of(name(changeSet) + ": its rollback does not restore the schema before it;"
                        + (residue.isEmpty() ? "" : " left behind " + residue) + (missing.isEmpty() ? "" : " missing " + missing));
            }
        }
        try {
            liquibase.update(new Contexts());
        } catch (Exception e) {
            return List.of("after rolling everything back, the changelog does not apply again: " + TestPostgres.rootMessage(e));
        }
        if (!Catalog.fingerprint(connection).equals(schemaAfter.get(changeSets.size()))) {
            return List.of("after rolling everything back and applying it again, the schema differs from the first update");
        }
        return List.of();
    }

    private static String name(ChangeSet changeSet) {
        return changeSet.getFilePath() + "::" + changeSet.getId();
    }
}
