package dev.keel.testdb;

import static org.assertj.core.api.Assertions.assertThat;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The last fallback of {@link TestPostgres} works on this machine even when CI configures a server,
 * so a fresh clone without TEST_DB_URL or Docker still gets a real database.
 */
class EmbeddedPostgresIT {

    @Test
    void embeddedFallbackIsARealPostgres17() throws Exception {
        TestPostgres.Server embedded = TestPostgres.embedded();

        try (Connection connection = embedded.connect(embedded.adminDatabase())) {
            assertThat(Catalog.lines(connection, "SHOW server_version").get(0)).startsWith("17.");
            assertThat(Catalog.lines(connection, "SELECT count(*)::text FROM pg_database WHERE datname = 'postgres'")).containsExactly("1");
        }
    }

    @Test
    void aKeptClusterKeepsItsDatabasesAndASecondUserGetsAThrowawayOne(@TempDir Path kept) throws Exception {
        try (EmbeddedPostgres first = TestPostgres.startEmbedded(kept.toFile())) {
            execute(first, "CREATE DATABASE kept_probe");
            try (EmbeddedPostgres second = TestPostgres.startEmbedded(kept.toFile())) {
                assertThat(second.getPort()).isNotEqualTo(first.getPort());
                assertThat(databases(second)).doesNotContain("kept_probe");
            }
        }
        try (EmbeddedPostgres again = TestPostgres.startEmbedded(kept.toFile())) {
            assertThat(databases(again)).contains("kept_probe");
        }
    }

    private static void execute(EmbeddedPostgres postgres, String sql) throws SQLException {
        try (Connection connection = postgres.getPostgresDatabase().getConnection()) {
            connection.createStatement().execute(sql);
        }
    }

    private static List<String> databases(EmbeddedPostgres postgres) throws SQLException {
        try (Connection connection = postgres.getPostgresDatabase().getConnection()) {
            return Catalog.lines(connection, "SELECT datname FROM pg_database");
        }
    }
}
