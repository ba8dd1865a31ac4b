package dev.keel.testdb;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import liquibase.resource.DirectoryResourceAccessor;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** No test database outlives the JVM that made it, and no half-built template outlives a changelog that fails. */
class LeftoverDatabasesIT {

    @Test
    void aJvmThatExitsRightAfterAHandOutLeavesNoDatabaseOfItsChangelog(@TempDir Path changelog) throws Exception {
        String table = "exit_probe_" + HexFormat.of().toHexDigits(ThreadLocalRandom.current().nextInt());
        writeChangelog(changelog, table, false);
        TestPostgres.Server server = TestPostgres.server();

        // One JVM is enough: it exits milliseconds after the hand-out, and the clone it starts takes far longer.
        ProcessBuilder builder = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-XX:TieredStopAtLevel=1", "-XX:+UseSerialGC", "-cp", System.getProperty("java.class.path"),
                HandOutThenExit.class.getName(), changelog.toString()).redirectErrorStream(true);
        // The same server as this JVM's, whichever it is, so that what the child leaves is visible here.
        builder.environment().put("TEST_DB_URL", server.jdbcUrl(server.adminDatabase())
                + "?user=" + URLEncoder.encode(server.username(), StandardCharsets.UTF_8)
                + "&password=" + URLEncoder.encode(server.password(), StandardCharsets.UTF_8));
        Process child = builder.start();
        child.getOutputStream().close();
        String output = new String(child.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        try {
            assertThat(child.waitFor(2, TimeUnit.MINUTES)).isTrue();
            assertThat(child.exitValue()).as(output).isZero();

            assertThat(databasesWith(server, "keel\\_test\\_%", table)).as("test databases holding %s after the JVM that made them ended", table)
                    .isEmpty();
        } finally {
            // The template of this one-off changelog, which no later build would use again.
            databasesWith(server, "keel\\_template\\_%", table).forEach(TestPostgres::drop);
        }
    }

    @Test
    void aTemplateWhoseChangelogFailsHalfWayIsNotLeftBehind(@TempDir Path changelog) throws Exception {
        String table = "failing_probe_" + HexFormat.of().toHexDigits(ThreadLocalRandom.current().nextInt());
        writeChangelog(changelog, table, true);
        TestPostgres.Server server = TestPostgres.server();

        assertThatThrownBy(() -> new MigratedDatabases(new DirectoryResourceAccessor(changelog)).template())
                .hasMessageContaining("no_such_type");

        assertThat(databasesWith(server, "keel\\_template\\_%", table)).as("half-built templates holding %s", table).isEmpty();
    }

    /** A changeset that creates {@code table}; with {@code failing}, a second one that PostgreSQL refuses. */
    private static void writeChangelog(Path root, String table, boolean failing) throws Exception {
        Path master = root.resolve(TestPostgres.CHANGELOG);
        Files.createDirectories(master.getParent());
        String changelog = """
                databaseChangeLog:
                  - changeSet:
                      id: %1$s
                      author: test
                      changes:
                        - sql: {sql: "CREATE TABLE %1$s (id bigint)"}
                      rollback:
                        - sql: {sql: "DROP TABLE %1$s"}
                """;
        if (failing) {
            changelog += """
                      - changeSet:
                          id: %1$s_broken
                          author: test
                          changes:
                            - sql: {sql: "ALTER TABLE %1$s ADD COLUMN note no_such_type"}
                          rollback:
                            - sql: {sql: "SELECT 1"}
                    """;
        }
        Files.writeString(master, changelog.formatted(table));
    }

    private static List<String> databasesWith(TestPostgres.Server server, String pattern, String table) throws SQLException {
        List<String> found = new ArrayList<>();
        List<String> candidates;
        try (Connection admin = server.connect(server.adminDatabase())) {
            candidates = Catalog.lines(admin, "SELECT datname FROM pg_database WHERE datname LIKE '" + pattern + "'");
        }
        for (String database : candidates) {
            try (Connection connection = server.connect(database)) {
                if (Catalog.lines(connection, "SELECT (to_regclass('" + table + "') IS NOT NULL)::text").contains("true")) {
                    found.add(database);
                }
            } catch (SQLException gone) {
                // Dropped by another test JVM meanwhile.
            }
        }
        return found;
    }
}
