package dev.keel.testdb;

import static org.assertj.core.api.Assertions.assertThat;

import java.sql.Connection;
import org.junit.jupiter.api.Test;

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
}
