package dev.keel.testdb;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.DisabledOnOs;
import org.junit.jupiter.api.condition.OS;
import org.junit.jupiter.api.io.TempDir;

/**
 * The last fallback of {@link TestPostgres} works on this machine even when CI configures a server,
 * so a fresh clone without TEST_DB_URL or Docker still gets a real database, and no other account can use it.
 */
class EmbeddedPostgresIT {

    private static TestPostgres.Server embedded;

    @BeforeAll
    static void start() throws IOException {
        embedded = TestPostgres.embedded();
    }

    @Test
    void embeddedFallbackIsARealPostgres17() throws Exception {
        try (Connection connection = embedded.connect(embedded.adminDatabase())) {
            assertThat(Catalog.lines(connection, "SHOW server_version").get(0)).startsWith("17.");
            assertThat(Catalog.lines(connection, "SELECT count(*)::text FROM pg_database WHERE datname = 'postgres'")).containsExactly("1");
        }
    }

    @Test
    void itsSuperuserNeedsThePasswordKeelKeeps() throws Exception {
        String url = embedded.jdbcUrl(embedded.adminDatabase());

        assertThatThrownBy(() -> DriverManager.getConnection(url + "?user=postgres"))
                .isInstanceOf(SQLException.class).hasMessageContaining("The server requested SCRAM-based authentication");
        assertThatThrownBy(() -> DriverManager.getConnection(url, "postgres", "postgres"))
                .isInstanceOf(SQLException.class).hasMessageContaining("password authentication failed for user \"postgres\"");
        try (Connection connection = DriverManager.getConnection(url, "postgres", Files.readString(EmbeddedClusters.home().resolve("password")))) {
            // Every rule, the Unix socket's included, asks for the password: no account is trusted.
            assertThat(Catalog.lines(connection, "SELECT DISTINCT auth_method FROM pg_hba_file_rules")).containsExactly("scram-sha-256");
        }
    }

    @Test
    @DisabledOnOs(value = OS.WINDOWS, disabledReason = "no POSIX permissions; docs/testing.md says what holds there")
    void itsFoldersAndPasswordFileAreThisAccountsAlone() throws Exception {
        Path home = EmbeddedClusters.home();
        Path work = home.resolve("work");

        assertThat(Files.getOwner(home, LinkOption.NOFOLLOW_LINKS).getName()).isEqualTo(System.getProperty("user.name"));
        assertThat(permissions(home)).isEqualTo("rwx------");
        assertThat(permissions(EmbeddedClusters.keptDataDirectory().toPath())).isEqualTo("rwx------");
        assertThat(permissions(work)).isEqualTo("rwx------");
        try (Stream<Path> binaries = Files.list(work)) {
            assertThat(binaries.filter(path -> path.getFileName().toString().startsWith("PG-")).toList()).isNotEmpty()
                    .allSatisfy(folder -> assertThat(permissions(folder)).isEqualTo("rwx------"));
        }
        assertThat(permissions(home.resolve("password"))).isEqualTo("rw-------");
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

    @Test
    void theApplicationRoleLogsInWithItsPasswordEvenWhereItWasMadeWithout(@TempDir Path kept) throws Exception {
        try (EmbeddedPostgres cluster = TestPostgres.startEmbedded(kept.toFile())) {
            execute(cluster, "CREATE ROLE " + TestPostgres.APP_ROLE + " LOGIN");
            TestPostgres.Server server = TestPostgres.embeddedServer(cluster.getPort(), "a kept cluster of this test's own");

            TestPostgres.createAppRole(server);

            try (Connection app = DriverManager.getConnection(server.jdbcUrl(server.adminDatabase()), TestPostgres.APP_ROLE, TestPostgres.APP_PASSWORD)) {
                assertThat(Catalog.lines(app, "SELECT current_user")).containsExactly(TestPostgres.APP_ROLE);
            }
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

    private static String permissions(Path path) throws IOException {
        return PosixFilePermissions.toString(Files.getPosixFilePermissions(path, LinkOption.NOFOLLOW_LINKS));
    }
}
