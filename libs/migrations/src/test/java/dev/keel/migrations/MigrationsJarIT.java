package dev.keel.migrations;

import static org.assertj.core.api.Assertions.assertThat;

import dev.keel.db.liquibase.ChangesetFilters;
import dev.keel.db.liquibase.ClasspathChangelog;
import dev.keel.db.liquibase.UpdateSelection;
import dev.keel.testdb.Catalog;
import dev.keel.testdb.StatusOutput;
import dev.keel.testdb.TestPostgres;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.List;
import java.util.Map;
import liquibase.changelog.ChangeLogParameters;
import liquibase.parser.ChangeLogParserFactory;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** target/keel-migrations.jar run as a deploy job runs it ({@link MigrationsJar}), with no source tree. */
class MigrationsJarIT {

    @TempDir
    Path emptyFolder;

    @Test
    void appliesTheChangelogToAFreshDatabaseRollsBackOneAndFindsNothingToDo() throws Exception {
        TestPostgres.Server server = TestPostgres.server();
        String database = TestPostgres.createEmptyDatabase();

        MigrationsJar.Run first = migrations(settings(server, database), "update");
        assertThat(first.exitCode()).as(first.err()).isZero();
        int changesets = applied(server, database);
        assertThat(changesets).as("every changeset the update runs on PostgreSQL, whatever its dbms or ignore; one it may skip perhaps not")
                .isBetween(runByUpdate(false), runByUpdate(true));

        MigrationsJar.Run second = migrations(settings(server, database), "update");
        assertThat(second.exitCode()).as(second.err()).isZero();
        assertThat(applied(server, database)).as("a second update applies nothing").isEqualTo(changesets);

        MigrationsJar.Run rolledBack = migrations(settings(server, database), "rollback-count", "--count=1");
        assertThat(rolledBack.exitCode()).as(rolledBack.err()).isZero();
        assertThat(applied(server, database)).isEqualTo(changesets - 1);
        MigrationsJar.Run reapplied = migrations(settings(server, database), "update");
        assertThat(reapplied.exitCode()).as(reapplied.err()).isZero();
        assertThat(applied(server, database)).isEqualTo(changesets);

        MigrationsJar.Run status = migrations(settings(server, database), "status");
        assertThat(status.exitCode()).as(status.err()).isZero();
        List<String> history;
        try (Connection connection = server.connect(database)) {
            history = Catalog.lines(connection, "SELECT filename || '::' || id || '::' || author FROM databasechangelog");
        }
        assertThat(StatusOutput.awaitingUpdate(status.out())).as("after an update only a changeset that runs again is listed").isSubsetOf(history);
    }

    @Test
    void carriesTheUpdateStepTheGoalsUse() throws Exception {
        try (java.util.jar.JarFile jar = new java.util.jar.JarFile(Path.of("target", "keel-migrations.jar").toFile())) {
            String steps = new String(jar.getInputStream(jar.getEntry("META-INF/services/liquibase.command.CommandStep")).readAllBytes(),
                    java.nio.charset.StandardCharsets.UTF_8);
            assertThat(steps.lines()).as("LockIT proves it on the goals").contains("dev.keel.db.liquibase.KeelUpdate");
        }
    }

    @Test
    void aFailureIsOneLineAndANonZeroExit() throws Exception {
        Map<String, String> settings = settings(TestPostgres.server(), "keel_unreachable");
        settings.put("DB_PORT", "1");

        MigrationsJar.Run run = migrations(settings, "status");

        assertThat(run.exitCode()).isEqualTo(1);
        assertThat(run.out()).as("nothing but the one line").isBlank();
        assertThat(run.err().lines().toList()).hasSize(1).first().asString()
                .startsWith("status failed: No PostgreSQL answers at " + settings.get("DB_HOST") + ":1 (Connection refused")
                .endsWith("point DB_HOST and DB_PORT at a running server (.env, the environment or -D).");
    }

    @Test
    void anUnknownCommandGetsTheUsage() throws Exception {
        MigrationsJar.Run run = migrations(new java.util.HashMap<>(), "migrate");

        assertThat(run.exitCode()).isEqualTo(2);
        assertThat(run.err()).startsWith("Usage: java -jar keel-migrations.jar <command>").contains("update, status, history");
    }

    @Test
    void anUnknownOptionIsRefusedWithTheCommandsOptions() throws Exception {
        TestPostgres.Server server = TestPostgres.server();
        String database = "keel_never_created_" + Long.toHexString(System.nanoTime());

        MigrationsJar.Run run = migrations(settings(server, database), "status", "--verbos");

        assertThat(run.exitCode()).isEqualTo(2);
        try (Connection admin = server.connect(server.adminDatabase()); Statement statement = admin.createStatement();
             ResultSet rows = statement.executeQuery("SELECT count(*) FROM pg_database WHERE datname = '" + database + "'")) {
            rows.next();
            assertThat(rows.getInt(1)).as("a wrong command line touches no database").isZero();
        }
        assertThat(run.err().lines().toList()).hasSize(1).first().asString()
                .startsWith("Not an option of status: --verbos; its options are ").contains("--verbose").doesNotContain("--url");
    }

    @Test
    void aMissingOrMalformedOptionValueIsACommandLineError() throws Exception {
        MigrationsJar.Run noTag = migrations(new java.util.HashMap<>(), "rollback");
        MigrationsJar.Run badCount = migrations(new java.util.HashMap<>(), "rollback-count", "--count=-1");

        assertThat(noTag.exitCode()).as(noTag.err()).isEqualTo(2);
        assertThat(noTag.err().strip()).isEqualTo("rollback needs --tag=<value>");
        assertThat(badCount.exitCode()).as(badCount.err()).isEqualTo(2);
        assertThat(badCount.err().strip()).isEqualTo("--count must be a whole number, such as --count=1; it is '-1'");
    }

    private static Map<String, String> settings(TestPostgres.Server server, String database) {
        return TestPostgres.settingsFor(server, database);
    }

    private MigrationsJar.Run migrations(Map<String, String> settings, String... arguments) throws Exception {
        return MigrationsJar.run(emptyFolder, settings, arguments);
    }

    private static int applied(TestPostgres.Server server, String database) throws Exception {
        try (Connection connection = server.connect(database); Statement statement = connection.createStatement();
             ResultSet rows = statement.executeQuery("SELECT count(*) FROM databasechangelog")) {
            rows.next();
            return rows.getInt(1);
        }
    }

    /**
     * The changesets of the changelog this module packs that an update with the project's contexts runs on PostgreSQL,
     * with or without those it {@linkplain ChangesetFilters#mayStayPending may skip or let fail} and those for other
     * databases that a precondition {@linkplain ChangesetFilters#mayBeMarkedRan may mark ran}.
     */
    private static int runByUpdate(boolean withSkippable) throws Exception {
        ClasspathChangelog classpath = new ClasspathChangelog();
        UpdateSelection selection = UpdateSelection.fromSettings();
        ChangeLogParameters parameters = new ChangeLogParameters();
        selection.applyTo(parameters);
        return ChangeLogParserFactory.getInstance().getParser(Migrations.CHANGELOG, classpath)
                .parse(Migrations.CHANGELOG, parameters, classpath).getChangeSets().stream()
                .filter(changeSet -> withSkippable ? selection.mayRecord(changeSet) : selection.applies(changeSet) && !ChangesetFilters.mayStayPending(changeSet))
                .mapToInt(changeSet -> 1).sum();
    }
}
