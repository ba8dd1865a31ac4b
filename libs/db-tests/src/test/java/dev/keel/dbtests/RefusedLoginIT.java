package dev.keel.dbtests;

import static org.assertj.core.api.Assertions.assertThat;

import dev.keel.testdb.TestPostgres;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** A server that answers but refuses the login: the goal stops with one line naming the setting to fix. */
class RefusedLoginIT {

    @Test
    void aRoleTheServerDoesNotKnowIsOneLineNamingDbUsername() {
        String database = TestPostgres.createEmptyDatabase();

        MavenRun status = MavenRun.run(TestPostgres.server(), database, Map.of("DB_USERNAME", "keel_nobody"), "liquibase:status");

        assertThat(status.exitCode()).as(status.output()).isNotZero();
        assertThat(status.output()).as(status.output())
                .containsPattern("\\[ERROR] .*Cannot log in to PostgreSQL at \\S+ as keel_nobody on database " + database
                        + ": FATAL: role \"keel_nobody\" does not exist\\. Fix DB_USERNAME or DB_PASSWORD \\(\\.env, the environment or -D\\)\\.")
                .doesNotContain("liquibase.exception.")
                .doesNotContain("Connection could not be created");
    }
}
