package dev.keel.dbtests;

import static org.assertj.core.api.Assertions.assertThat;

import dev.keel.db.liquibase.UpdateSelection;
import dev.keel.testdb.StatusOutput;
import dev.keel.testdb.TestPostgres;
import java.io.IOException;
import java.net.ServerSocket;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.api.parallel.Execution;
import org.junit.jupiter.api.parallel.ExecutionMode;

/**
 * A laptop with Java alone: with DB_HOST not set and no PostgreSQL answering, {@code mvn -pl db liquibase:update}
 * migrates a development database that the goal starts, keeps and stops; with DB_HOST set it never does. Its tests
 * only start Maven processes, so they run beside the other classes.
 */
@Execution(ExecutionMode.CONCURRENT)
class DevelopmentDatabaseIT {

    @TempDir
    Path folder;

    /**
     * The build files, {@code .mvn} and {@code db} of this repository, without its {@code .env}, whose DB_HOST would
     * otherwise count as set: enough for {@code mvn -pl db liquibase:*}.
     */
    private Path repositoryWithoutDotEnv() throws IOException {
        Path root = MavenRun.root();
        Path copy = folder.resolve("repository");
        // Build output and git's files are left out unread: other modules build beside this test, creating and
        // deleting files under their target folders while the walk goes on.
        Files.walkFileTree(root, new SimpleFileVisitor<>() {
            @Override
            public FileVisitResult preVisitDirectory(Path directory, BasicFileAttributes attributes) {
                String name = directory.getFileName() == null ? "" : directory.getFileName().toString();
                return !directory.equals(root) && (name.equals("target") || name.equals(".git")) ? FileVisitResult.SKIP_SUBTREE
                        : FileVisitResult.CONTINUE;
            }

            @Override
            public FileVisitResult visitFile(Path file, BasicFileAttributes attributes) throws IOException {
                String path = root.relativize(file).toString().replace('\\', '/');
                if (path.equals("pom.xml") || path.endsWith("/pom.xml") || path.startsWith(".mvn/") || path.startsWith("db/")) {
                    Files.createDirectories(copy.resolve(path).getParent());
                    Files.copy(file, copy.resolve(path));
                }
                return FileVisitResult.CONTINUE;
            }
        });
        return copy;
    }

    @Test
    void withoutAServerTheGoalsMigrateAKeptDevelopmentDatabaseAndStopIt() throws Exception {
        Path kept = folder.resolve("not-made-yet").resolve("dev-postgres");
        Map<String, String> laptop = laptop(kept);
        laptop.put("DB_HOST", null);

        Path repository = repositoryWithoutDotEnv();
        MavenRun update = MavenRun.startIn(repository, laptop, List.of("-pl", "db", "liquibase:update")).awaitExit();

        assertThat(update.exitCode()).as(update.output()).isZero();
        assertThat(update.output()).contains("DB_HOST is not set: using Keel's development database in " + kept)
                .contains("Created database keel_dev_test").containsPattern("Run: +\\d+");
        assertThat(kept.resolve("data/PG_VERSION")).exists();
        assertThat(kept.resolve("data/postmaster.pid")).as("the server stopped with the goal").doesNotExist();
        assertThat(Files.readAllLines(kept.resolve("data/pg_hba.conf")).stream().filter(line -> !line.isBlank() && !line.startsWith("#")))
                .as("no account connects without the password kept beside it").isNotEmpty().allMatch(line -> line.strip().endsWith("scram-sha-256"));
        if (Files.getFileStore(kept).supportsFileAttributeView("posix")) {
            assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(kept))).isEqualTo("rwx------");
            assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(kept.resolve("password")))).isEqualTo("rw-------");
        }

        MavenRun status = MavenRun.startIn(repository, laptop, List.of("-pl", "db", "liquibase:status")).awaitExit();
        assertThat(status.exitCode()).as(status.output()).isZero();
        assertThat(status.output()).as("the data was kept").doesNotContain("Created database");
        assertThat(kept.resolve("data/postmaster.pid")).as("the server stopped with a goal that ran no changeset").doesNotExist();
        assertThat(StatusOutput.awaitingUpdate(status.output())).as("after the update only a changeset that runs again is listed")
                .isSubsetOf(ranBy(update.output()));

        Path changelog = repository.resolve("db/src/main/resources/db/changelog");
        Files.writeString(changelog.resolve("changes/99999999999999_slow.sql"), """
                --liquibase formatted sql
                --changeset test:99999999999999_slow
                SELECT pg_sleep(60);
                --rollback SELECT 1;
                """);
        Files.writeString(changelog.resolve("db.changelog-master.yaml"),
                "  - include: {file: changes/99999999999999_slow.sql, relativeToChangelogFile: true}\n", StandardOpenOption.APPEND);
        MavenRun slow = MavenRun.startIn(repository, laptop, List.of("-pl", "db", "liquibase:update"));
        Instant deadline = Instant.now().plus(Duration.ofMinutes(2));
        while (!slow.output().contains("Running Changeset: db/changelog/changes/99999999999999_slow.sql") && slow.isRunning()
                && Instant.now().isBefore(deadline)) {
            Thread.sleep(100);
        }
        Thread.sleep(2_000); // Liquibase prints that line just before it starts the changeset; the sleep takes 60 s
        String interrupted = slow.interrupt().output();
        assertThat(interrupted).as("one line says what became of the changeset; the connection the server's stop takes is not reported")
                .contains("Interrupted while changeset db/changelog/changes/99999999999999_slow.sql::99999999999999_slow::test ran")
                .doesNotContain("Exception").doesNotContain("connection has been closed").doesNotContain("BUILD");
        assertThat(kept.resolve("data/postmaster.pid")).as("the server stopped with the goal").doesNotExist();
    }

    @Test
    void withDbHostSetAServerThatDoesNotAnswerIsOneLineAndNothingStarts() throws Exception {
        Path never = folder.resolve("never");
        Map<String, String> laptop = laptop(never);
        laptop.put("DB_HOST", "localhost");

        // Every setting the goal reads is given, so the run happens inside this JVM, where no .env or variable can add one.
        MavenRun status = MavenRun.run(TestPostgres.server(), laptop.get("DB_NAME"), laptop, "liquibase:status");

        assertThat(status.exitCode()).isNotZero();
        assertThat(status.output()).contains("No PostgreSQL answers at localhost:" + laptop.get("DB_PORT") + " (Connection refused). Start"
                + " PostgreSQL there, or point DB_HOST and DB_PORT at a running server").doesNotContain("development database");
        assertThat(Files.exists(never)).isFalse();
    }

    /** The changesets an update ran, as it printed them. */
    private static List<String> ranBy(String output) {
        return java.util.regex.Pattern.compile("Running Changeset: (\\S+)").matcher(output).results().map(match -> match.group(1)).toList();
    }

    /** Settings of a machine where nothing listens on DB_PORT. */
    private static Map<String, String> laptop(Path developmentDirectory) throws Exception {
        int closed;
        try (ServerSocket socket = new ServerSocket(0)) {
            closed = socket.getLocalPort();
        }
        Map<String, String> settings = new HashMap<>();
        settings.put("DB_PORT", String.valueOf(closed));
        settings.put("DB_NAME", "keel_dev_test");
        settings.put("DB_USERNAME", "postgres");
        settings.put("DB_PASSWORD", "");
        settings.put("DEV_DB_DIR", developmentDirectory.toString());
        settings.putAll(UpdateSelection.fromSettings().settings()); // the copy has no .env to hold them
        return settings;
    }
}
