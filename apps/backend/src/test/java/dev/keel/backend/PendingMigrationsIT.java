package dev.keel.backend;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.keel.backend.migrations.PendingMigrationsException;
import dev.keel.testdb.TestPostgres;
import dev.keel.persistence.config.DatabaseSettings;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/** The service never migrates: on a database behind the changelog it refuses to start, or warns if told to. */
@ExtendWith(OutputCaptureExtension.class)
class PendingMigrationsIT {

    @Test
    void refusesToStartListingThePendingChangesetsAndTheCommand(CapturedOutput output) throws Exception {
        List<String> lastTwo = new ArrayList<>();
        Behind.database = migratedWithTheLastUnrecorded(2, lastTwo);

        assertThatThrownBy(() -> start(Behind.class))
                .rootCause()
                .isInstanceOfSatisfying(PendingMigrationsException.class, pending ->
                        assertThat(pending.pending()).extracting(Object::toString).containsExactlyElementsOf(lastTwo));
        assertThat(output).contains("APPLICATION FAILED TO START")
                .contains("The database is behind the changelog")
                .contains(lastTwo.get(0))
                .contains("Apply them with: mvn -pl db liquibase:update");
    }

    @Test
    void startsWithAWarningWhenToldTo(CapturedOutput output) throws Exception {
        List<String> last = new ArrayList<>();
        Behind.database = migratedWithTheLastUnrecorded(1, last);

        try (ConfigurableApplicationContext context = start(Behind.class, "--keel.migrations.on-pending=warn")) {
            assertThat(context.isRunning()).isTrue();
        }
        assertThat(output).contains("WARN").contains("1 changeset(s) are not applied: [" + last.get(0) + "]")
                .contains("Apply them with: mvn -pl db liquibase:update");
    }

    @Test
    void refusesADatabaseThatAppliedChangesetsTheChangelogLacksNamingThemUnlessToldToWarn(CapturedOutput output) throws Exception {
        String database = TestPostgres.createMigratedDatabase();
        try (Connection connection = TestPostgres.migrationConnection(database); Statement statement = connection.createStatement()) {
            statement.execute("INSERT INTO databasechangelog (id, author, filename, dateexecuted, orderexecuted, exectype)"
                    + " VALUES ('99_from_a_newer_service', 'keel', 'db/changelog/changes/99_from_a_newer_service.yaml', now(), 9999, 'EXECUTED')");
            // The same changeset as Liquibase would still match it: a classpath: prefix and another case are not unknown.
            statement.execute("UPDATE databasechangelog SET filename = 'classpath:' || upper(filename) WHERE orderexecuted = 1");
        }
        Behind.database = database;
        String unknown = "db/changelog/changes/99_from_a_newer_service.yaml::99_from_a_newer_service::keel";

        assertThatThrownBy(() -> start(Behind.class)).rootCause().isInstanceOfSatisfying(PendingMigrationsException.class, refused -> {
            assertThat(refused.pending()).isEmpty();
            assertThat(refused.unknown()).extracting(Object::toString).containsExactly(unknown);
        });
        assertThat(output).contains("APPLICATION FAILED TO START")
                .contains("The database applied changesets that this changelog lacks")
                .contains("    " + unknown)
                .contains("--keel.migrations.on-pending=warn");

        try (ConfigurableApplicationContext context = start(Behind.class, "--keel.migrations.on-pending=warn")) {
            assertThat(context.isRunning()).isTrue();
        }
        assertThat(output).contains("The database applied 1 changeset(s) that the changelog lacks: [" + unknown + "]");
    }

    @Test
    void refusesToStartWithAClearReportWhenTheDatabaseCannotBeReached(CapturedOutput output) {
        assertThatThrownBy(() -> start(Unreachable.class)).hasStackTraceContaining("DatabaseUnusableException");
        assertThat(output).contains("APPLICATION FAILED TO START")
                .contains("Cannot read the migration history of keel_test_app@jdbc:postgresql://127.0.0.1:1/nowhere: Connection refused")
                .contains("Start PostgreSQL, or fix DB_HOST")
                .doesNotContain("at dev.keel");
    }

    private static ConfigurableApplicationContext start(Class<?> configuration, String... args) {
        String[] all = new String[args.length + 1];
        all[0] = "--server.port=0";
        System.arraycopy(args, 0, all, 1, args.length);
        return new SpringApplicationBuilder(BackendApplication.class, configuration).run(all);
    }

    /**
     * A database with the whole schema whose history lacks the changelog's last changesets, so that those are pending.
     * The schema stays whole, so the entities validate against it whatever the last changesets create.
     */
    private static String migratedWithTheLastUnrecorded(int count, List<String> unrecorded) throws Exception {
        String database = TestPostgres.createMigratedDatabase();
        try (Connection connection = TestPostgres.migrationConnection(database); Statement statement = connection.createStatement();
             ResultSet deleted = statement.executeQuery("WITH gone AS (DELETE FROM databasechangelog WHERE orderexecuted IN"
                     + " (SELECT orderexecuted FROM databasechangelog ORDER BY orderexecuted DESC LIMIT " + count + ")"
                     + " RETURNING filename, id, author, orderexecuted) SELECT filename || '::' || id || '::' || author FROM gone ORDER BY orderexecuted")) {
            while (deleted.next()) {
                unrecorded.add(deleted.getString(1));
            }
        }
        return database;
    }

    @Configuration(proxyBeanMethods = false)
    static class Unreachable {

        /** The report comes once the pool gives up, after its connection timeout: the least it allows, not 5 s. */
        @Bean
        DatabaseSettings databaseSettings() {
            DatabaseSettings nowhere = DatabaseSettings.load()
                    .withConnection("jdbc:postgresql://127.0.0.1:1/nowhere", TestPostgres.APP_ROLE, TestPostgres.APP_PASSWORD);
            return new DatabaseSettings(nowhere.jdbcUrl(), nowhere.username(), nowhere.password(), nowhere.poolMaxSize(), 250,
                    nowhere.idleTimeoutMs(), nowhere.maxLifetimeMs());
        }
    }

    @Configuration(proxyBeanMethods = false)
    static class Behind {

        static String database;

        @Bean
        DatabaseSettings databaseSettings() {
            TestPostgres.Server server = TestPostgres.server();
            return DatabaseSettings.load().withConnection(server.jdbcUrl(database), server.username(), server.password());
        }
    }
}
