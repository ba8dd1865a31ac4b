package dev.keel.db;

import static org.assertj.core.api.Assertions.assertThat;

import dev.keel.db.testing.Catalog;
import dev.keel.db.testing.TestPostgres;
import java.sql.Connection;
import java.util.ArrayList;
import java.util.List;
import liquibase.Contexts;
import liquibase.LabelExpression;
import liquibase.Liquibase;
import liquibase.changelog.ChangeSet;
import liquibase.database.jvm.JdbcConnection;
import liquibase.resource.ClassLoaderResourceAccessor;
import org.junit.jupiter.api.Test;

/** Every changeset can be rolled back, and its rollback restores exactly the schema that was there before it. */
class RollbackIT {

    @Test
    void rollsBackEveryChangesetInOrderAndUpdatesAgain() throws Exception {
        String database = TestPostgres.createEmptyDatabase();
        try (Connection connection = TestPostgres.migrationConnection(database);
             Liquibase liquibase = new Liquibase(TestPostgres.CHANGELOG, new ClassLoaderResourceAccessor(), new JdbcConnection(connection))) {
            List<ChangeSet> changeSets = liquibase.getDatabaseChangeLog().getChangeSets();
            assertThat(changeSets).isNotEmpty();

            List<List<String>> schemaAfter = new ArrayList<>();
            schemaAfter.add(Catalog.fingerprint(connection));
            for (int i = 0; i < changeSets.size(); i++) {
                liquibase.update(1, new Contexts(), new LabelExpression());
                schemaAfter.add(Catalog.fingerprint(connection));
            }
            assertThat(schemaAfter.get(0)).as("schema before the first changeset")
                    .filteredOn(line -> !line.startsWith("schema privileges")).isEmpty();

            for (int i = changeSets.size(); i > 0; i--) {
                ChangeSet changeSet = changeSets.get(i - 1);
                try {
                    liquibase.rollback(1, null);
                } catch (Exception e) {
                    throw new AssertionError("rollback of changeset " + changeSet.getId() + " failed: " + e.getMessage(), e);
                }
                assertThat(Catalog.fingerprint(connection))
                        .as("schema after rolling back changeset %s (missing objects or residue)", changeSet.getId())
                        .containsExactlyElementsOf(schemaAfter.get(i - 1));
            }
            assertThat(Catalog.fingerprint(connection)).as("schema after rolling back everything")
                    .filteredOn(line -> !line.startsWith("schema privileges")).isEmpty();

            liquibase.update(new Contexts());
            assertThat(Catalog.fingerprint(connection)).as("schema after updating again")
                    .containsExactlyElementsOf(schemaAfter.get(changeSets.size()));
        }
    }
}
