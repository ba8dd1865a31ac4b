package dev.keel.testdb;

import static org.assertj.core.api.Assertions.assertThat;

import java.sql.Connection;
import org.junit.jupiter.api.Test;

/** Test databases are clones of one template that the real changelog built, under the goals' advisory lock. */
class TemplateDatabaseIT {

    @Test
    void migratesUnderTheAdvisoryLockLikeTheGoals() throws Exception {
        try (Connection connection = TestPostgres.server().connect(TestPostgres.createMigratedDatabase())) {
            assertThat(Catalog.lines(connection, "SELECT to_regclass('databasechangeloglock')::text"))
                    .as("liquibase-sessionlock replaces the lock table").containsExactly((String) null);
            assertThat(Catalog.lines(connection, "SELECT count(*)::text FROM databasechangelog")).doesNotContain("0");
        }
    }

    @Test
    void everyCloneStartsFromTheSameSchema() throws Exception {
        try (Connection first = TestPostgres.server().connect(TestPostgres.createMigratedDatabase());
             Connection second = TestPostgres.server().connect(TestPostgres.createMigratedDatabase())) {
            assertThat(Catalog.fingerprint(second)).isNotEmpty().isEqualTo(Catalog.fingerprint(first));
        }
    }
}
