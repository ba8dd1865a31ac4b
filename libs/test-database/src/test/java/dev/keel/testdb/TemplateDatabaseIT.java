package dev.keel.testdb;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import liquibase.resource.DirectoryResourceAccessor;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

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

    @Test
    void theTemplateIsNamedAfterTheChangelogSoAChangedChangelogNeverGetsAStaleOne(@TempDir Path first, @TempDir Path second, @TempDir Path third)
            throws Exception {
        writeChangelog(first, "CREATE TABLE template_probe (id bigint)");
        writeChangelog(second, "CREATE TABLE template_probe (id bigint, note text)");
        writeChangelog(third, "CREATE TABLE template_probe (id bigint)");
        Path master = third.resolve(TestPostgres.CHANGELOG);
        Files.writeString(master, Files.readString(master).replace("      changes:",
                "      preconditions: [{onFail: MARK_RAN}, {sqlCheck: {expectedResult: 1, sql: SELECT 0}}]\n      changes:"));

        String template = new MigratedDatabases(new DirectoryResourceAccessor(first)).template();
        assertThat(new MigratedDatabases(new DirectoryResourceAccessor(first)).template()).as("same changelog, same template").isEqualTo(template);
        String changed = new MigratedDatabases(new DirectoryResourceAccessor(second)).template();
        assertThat(changed).startsWith("keel_template_").isNotEqualTo(template);

        try (Connection connection = TestPostgres.server().connect(TestPostgres.createDatabaseFrom(changed))) {
            assertThat(Catalog.lines(connection, "SELECT count(*)::text FROM information_schema.columns WHERE table_name = 'template_probe'"))
                    .containsExactly("2");
        }
        String precondition = new MigratedDatabases(new DirectoryResourceAccessor(third)).template();
        assertThat(precondition).as("a precondition, which Liquibase's checksum leaves out").isNotEqualTo(template);
        try (Connection connection = TestPostgres.server().connect(TestPostgres.createDatabaseFrom(precondition))) {
            assertThat(Catalog.lines(connection, "SELECT count(*)::text FROM information_schema.columns WHERE table_name = 'template_probe'"))
                    .containsExactly("0");
        }
    }

    private static void writeChangelog(Path root, String sql) throws Exception {
        Path master = root.resolve(TestPostgres.CHANGELOG);
        Files.createDirectories(master.getParent());
        Files.writeString(master, """
                databaseChangeLog:
                  - changeSet:
                      id: template_probe
                      author: test
                      changes:
                        - sql: {sql: "%s"}
                      rollback:
                        - sql: {sql: DROP TABLE template_probe}
                """.formatted(sql));
    }
}

