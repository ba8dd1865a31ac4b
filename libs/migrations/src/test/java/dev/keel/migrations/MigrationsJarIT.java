package dev.keel.migrations;

import static org.assertj.core.api.Assertions.assertThat;

import dev.keel.testdb.ChangelogChecksums;
import dev.keel.testdb.TestPostgres;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import liquibase.resource.ClassLoaderResourceAccessor;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * target/keel-migrations.jar as a deploy job runs it: {@code java -jar} with nothing but Java on the PATH, no source
 * tree and no .env, its settings from the environment alone.
 */
class MigrationsJarIT {

    private static final Path JAR = Path.of("target", "keel-migrations.jar").toAbsolutePath();

    @TempDir
    Path emptyFolder;

    record Run(int exitCode, String out, String err) {
    }

    @Test
    void appliesTheChangelogToAFreshDatabaseThenFindsNothingToDo() throws Exception {
        TestPostgres.Server server = TestPostgres.server();
        String database = TestPostgres.createEmptyDatabase();
        int changesets = ChangelogChecksums.of(Migrations.CHANGELOG, new ClassLoaderResourceAccessor()).size();

        Run first = migrations(settings(server, database), "update");
        assertThat(first.exitCode()).as(first.err()).isZero();
        assertThat(applied(server, database)).isEqualTo(changesets);

        Run second = migrations(settings(server, database), "update");
        assertThat(second.exitCode()).as(second.err()).isZero();
        assertThat(applied(server, database)).as("a second update applies nothing").isEqualTo(changesets);

        Run status = migrations(settings(server, database), "status");
        assertThat(status.exitCode()).as(status.err()).isZero();
        assertThat(status.out()).contains("is up to date");
    }

    @Test
    void aFailureIsOneLineAndANonZeroExit() throws Exception {
        Map<String, String> settings = settings(TestPostgres.server(), "keel_unreachable");
        settings.put("DB_PORT", "1");

        Run run = migrations(settings, "status");

        assertThat(run.exitCode()).isEqualTo(1);
        assertThat(run.out()).as("nothing but the one line").isBlank();
        assertThat(run.err().lines().toList()).hasSize(1).first().asString().startsWith("status failed: ").contains("refused");
    }

    @Test
    void anUnknownCommandGetsTheUsage() throws Exception {
        Run run = migrations(new java.util.HashMap<>(), "migrate");

        assertThat(run.exitCode()).isEqualTo(2);
        assertThat(run.err()).startsWith("Usage: java -jar keel-migrations.jar <command>").contains("update, status, history");
    }

    @Test
    void anUnknownOptionIsRefusedWithTheCommandsOptions() throws Exception {
        TestPostgres.Server server = TestPostgres.server();
        String database = "keel_never_created_" + Long.toHexString(System.nanoTime());

        Run run = migrations(settings(server, database), "status", "--verbos");

        assertThat(run.exitCode()).isEqualTo(2);
        try (Connection admin = server.connect(server.adminDatabase()); Statement statement = admin.createStatement();
             ResultSet rows = statement.executeQuery("SELECT count(*) FROM pg_database WHERE datname = '" + database + "'")) {
            rows.next();
            assertThat(rows.getInt(1)).as("a wrong command line touches no database").isZero();
        }
        assertThat(run.err().lines().toList()).hasSize(1).first().asString()
                .startsWith("Not an option of status: --verbos; its options are ").contains("--verbose").doesNotContain("--url");
    }

    private static Map<String, String> settings(TestPostgres.Server server, String database) {
        return TestPostgres.settingsFor(server, database);
    }

    /** {@code java -jar keel-migrations.jar <arguments>} in an empty folder, with PATH holding Java's folder alone. */
    private Run migrations(Map<String, String> settings, String... arguments) throws IOException, InterruptedException {
        Path java = Path.of(System.getProperty("java.home"), "bin", "java");
        List<String> command = new java.util.ArrayList<>(List.of(java.toString(), "-jar", JAR.toString()));
        command.addAll(List.of(arguments));
        Path out = emptyFolder.resolve("out.txt");
        Path err = emptyFolder.resolve("err.txt");
        Path workingFolder = Files.createDirectories(emptyFolder.resolve("work"));
        ProcessBuilder builder = new ProcessBuilder(command).directory(workingFolder.toFile())
                .redirectOutput(out.toFile()).redirectError(err.toFile());
        builder.environment().clear();
        builder.environment().put("PATH", java.getParent().toString());
        builder.environment().putAll(settings);
        Process process = builder.start();
        if (!process.waitFor(2, TimeUnit.MINUTES)) {
            process.destroyForcibly();
            throw new IllegalStateException("java -jar keel-migrations.jar did not finish within 2 minutes");
        }
        return new Run(process.exitValue(), Files.readString(out, StandardCharsets.UTF_8), Files.readString(err, StandardCharsets.UTF_8));
    }

    private static int applied(TestPostgres.Server server, String database) throws Exception {
        try (Connection connection = server.connect(database); Statement statement = connection.createStatement();
             ResultSet rows = statement.executeQuery("SELECT count(*) FROM databasechangelog")) {
            rows.next();
            return rows.getInt(1);
        }
    }
}
