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
}
