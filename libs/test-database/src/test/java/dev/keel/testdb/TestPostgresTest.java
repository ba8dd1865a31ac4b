package dev.keel.testdb;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class TestPostgresTest {

    @Test
    void keepsPasswordsOutOfMessages() {
        assertThat(TestPostgres.redacted("jdbc:postgresql://db:5432/postgres?user=ci&password=s3cret&ssl=true"))
                .isEqualTo("jdbc:postgresql://db:5432/postgres?user=ci&password=***&ssl=true");
        assertThat(TestPostgres.redacted("jdbc:postgresql://db/postgres?PASSWORD=s3cret")).isEqualTo("jdbc:postgresql://db/postgres?PASSWORD=***");
        assertThat(TestPostgres.redacted("jdbc:postgresql://ci:s3cret@db:5432/postgres")).doesNotContain("s3cret");
        assertThat(TestPostgres.redacted("jdbc:postgresql://127.0.0.1:5432/postgres?user=postgres"))
                .isEqualTo("jdbc:postgresql://127.0.0.1:5432/postgres?user=postgres");
    }

    @Test
    void keepsEveryTestDbUrlParameterButTheCredentials() {
        TestPostgres.Server server = TestPostgres.parseConfigured(
                "jdbc:postgresql://db:6432/postgres?user=ci&password=s3cret&sslmode=verify-full&sslrootcert=%2Fca.crt");

        assertThat(server.jdbcUrl("keel_test_1")).isEqualTo("jdbc:postgresql://db:6432/keel_test_1?sslmode=verify-full&sslrootcert=%2Fca.crt");
        assertThat(server.username()).isEqualTo("ci");
        assertThat(server.password()).isEqualTo("s3cret");
        assertThat(TestPostgres.settingsFor(server, "keel_test_1"))
                .containsEntry("DB_SSLMODE", "verify-full").containsEntry("DB_SSLROOTCERT", "/ca.crt");
    }

    @Test
    void namesTheDeepestCauseThatSaysSomethingAndNeverPrintsNull() {
        assertThat(TestPostgres.rootMessage(new IllegalStateException("outer", new RuntimeException(" ERROR: relation \"x\" does not exist "))))
                .isEqualTo("ERROR: relation \"x\" does not exist");
        assertThat(TestPostgres.rootMessage(new IllegalStateException("Migration failed for changeset a", new NullPointerException())))
                .isEqualTo("Migration failed for changeset a");
        assertThat(TestPostgres.rootMessage(new RuntimeException(new NullPointerException()))).isEqualTo("java.lang.NullPointerException");
    }
}
