package dev.keel.migrations;

import static org.assertj.core.api.Assertions.assertThat;

import dev.keel.testdb.TestPostgres;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * DB_SSLMODE and DB_SSLROOTCERT as a deploy job uses them: the migration jar against a PostgreSQL of its own with TLS
 * on, whose certificate an authority made here signed.
 */
class TlsIT {

    private static EmbeddedPostgres server;
    private static Path rightRoot;
    private static Path wrongRoot;
    private static String password;

    @TempDir
    static Path certificates;

    @TempDir
    Path scratch;

    @BeforeAll
    static void startServerWithTls() throws Exception {
        TestCertificates authority = TestCertificates.authority("Keel test authority");
        rightRoot = authority.writeRoot(certificates.resolve("root.crt"));
        wrongRoot = TestCertificates.authority("Someone else").writeRoot(certificates.resolve("other-root.crt"));
        // The server reads its key only from a file of the account it runs as, which no one else may read.
        authority.writeServer(certificates);
        Path key = certificates.resolve("server.key");
        if (Files.getFileStore(key).supportsFileAttributeView("posix")) {
            Files.setPosixFilePermissions(key, PosixFilePermissions.fromString("rw-------"));
        }
        server = TestPostgres.startEmbedded(builder -> builder
                .setServerConfig("ssl", "on")
                .setServerConfig("ssl_cert_file", certificates.resolve("server.crt").toString())
                .setServerConfig("ssl_key_file", key.toString()));
        password = TestPostgres.embeddedServer(server.getPort(), "TlsIT").password();
        assertThat(query("SHOW ssl")).as("TLS on the test's server").isEqualTo("on");
    }

    @AfterAll
    static void stopServer() throws Exception {
        if (server != null) {
            server.close();
        }
    }

    @Test
    void verifyFullWithTheRightRootCertificateConnects() throws Exception {
        MigrationsJar.Run run = MigrationsJar.run(scratch, settings("verify-full", rightRoot), "status");

        assertThat(run.exitCode()).as(run.err()).isZero();
        assertThat(run.out()).contains("changesets have not been applied");
    }

    @Test
    void aCertificateSignedByAnotherAuthorityIsOneLineAndNoConnection() throws Exception {
        MigrationsJar.Run run = MigrationsJar.run(scratch, settings("verify-full", wrongRoot), "status");

        assertThat(run.exitCode()).isEqualTo(1);
        assertThat(run.err().lines().toList()).as(run.err()).hasSize(1).first().asString()
                .startsWith("status failed: Cannot log in to PostgreSQL at localhost:").contains(": SSL error: ").contains("certification path")
                .endsWith(". Fix DB_SSLMODE, or DB_SSLROOTCERT (.env, the environment or -D).");
    }

    @Test
    void requireRefusesAServerWithoutTls() throws Exception {
        EmbeddedPostgres plain = TestPostgres.startEmbedded(builder -> { });
        try {
            Map<String, String> settings = settings("require", rightRoot);
            settings.put("DB_PORT", String.valueOf(plain.getPort()));

            MigrationsJar.Run run = MigrationsJar.run(scratch, settings, "status");

            assertThat(run.exitCode()).isEqualTo(1);
            assertThat(run.err().lines().toList()).as(run.err()).hasSize(1).first().asString()
                    .startsWith("status failed: Cannot log in to PostgreSQL at localhost:" + plain.getPort() + " as ")
                    .endsWith(": The server does not support SSL. Fix DB_SSLMODE, or DB_SSLROOTCERT (.env, the environment or -D).");
        } finally {
            plain.close();
        }
    }

    private static Map<String, String> settings(String sslMode, Path root) {
        Map<String, String> settings = new HashMap<>();
        settings.put("DB_HOST", "localhost");
        settings.put("DB_PORT", String.valueOf(server.getPort()));
        settings.put("DB_NAME", "keel_tls");
        settings.put("DB_USERNAME", "postgres");
        settings.put("DB_PASSWORD", password);
        settings.put("DB_SSLMODE", sslMode);
        settings.put("DB_SSLROOTCERT", root.toString());
        return settings;
    }

    private static String query(String sql) throws SQLException {
        try (Connection connection = server.getPostgresDatabase().getConnection(); Statement statement = connection.createStatement();
             ResultSet row = statement.executeQuery(sql)) {
            row.next();
            return row.getString(1);
        }
    }

}
