package dev.keel.schema;

import static org.assertj.core.api.Assertions.assertThat;

import dev.keel.db.liquibase.UpdateSelection;
import dev.keel.db.settings.Settings;
import java.io.IOException;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.api.parallel.Execution;
import org.junit.jupiter.api.parallel.ExecutionMode;

/**
 * A keel:* goal runs its tool inside Maven's JVM, so a setting reaches the tool from each place it reaches the
 * liquibase:* goals, in the same order: an environment variable, then a {@code -D} property, then {@code .env}.
 * Each run names a different unreachable TEST_DB_URL through each route, and the tool's refusal says which one won.
 * The runs happen in a copy of the repository with its compiled classes, so the copy's {@code .env} and build never
 * touch the build that runs this test. The runs are processes that write nothing but the copy's tool lock, so the
 * class runs beside the others.
 */
@Execution(ExecutionMode.CONCURRENT)
class ToolSettingsIT {

    @TempDir
    static Path copy;

    @BeforeAll
    static void copyTheRepositoryWithItsClasses() throws IOException {
        Path root = Settings.root();
        Files.walkFileTree(root, new SimpleFileVisitor<>() {
            @Override
            public FileVisitResult preVisitDirectory(Path dir, BasicFileAttributes attributes) throws IOException {
                Path relative = root.relativize(dir);
                if (relative.startsWith(".git") || isBuildOutputOtherThanClasses(relative)) {
                    return FileVisitResult.SKIP_SUBTREE;
                }
                Files.createDirectories(copy.resolve(relative.toString()));
                return FileVisitResult.CONTINUE;
            }

            @Override
            public FileVisitResult visitFile(Path file, BasicFileAttributes attributes) throws IOException {
                Path relative = root.relativize(file);
                if (!relative.toString().equals(".env") && !isBuildOutputOtherThanClasses(relative.getParent())) {
                    Files.copy(file, copy.resolve(relative.toString()), StandardCopyOption.COPY_ATTRIBUTES);
                }
                return FileVisitResult.CONTINUE;
            }
        });
        Files.writeString(copy.resolve(".env"), "TEST_DB_URL=" + unreachable("from_dot_env") + "\n");
    }

    /** Below a module's {@code target}, only {@code classes} is copied: the tools need nothing else from there. */
    private static boolean isBuildOutputOtherThanClasses(Path relative) {
        if (relative == null) {
            return false;
        }
        for (int i = 0; i < relative.getNameCount(); i++) {
            if (relative.getName(i).toString().equals("target")) {
                return i + 1 < relative.getNameCount() && !relative.getName(i + 1).toString().equals("classes");
            }
        }
        return false;
    }

    @Test
    void anEnvironmentVariableOutranksTheOtherRoutes() throws Exception {
        String output = run("keel:online-check", Map.of("TEST_DB_URL", unreachable("from_environment")), "-DTEST_DB_URL=" + unreachable("from_property"));

        assertThat(output).contains("from_environment").doesNotContain("from_property", "from_dot_env");
    }

    @Test
    void aSystemPropertyOutranksDotEnv() throws Exception {
        String output = run("keel:online-check", Map.of(), "-DTEST_DB_URL=" + unreachable("from_property"));

        assertThat(output).contains("from_property").doesNotContain("from_dot_env")
                .as("which changesets count as released, in a copy without git").contains("Not in a git work tree, or no commit yet: each changeset in");
    }

    @Test
    void dotEnvAtTheRootReachesTheTool() throws Exception {
        String output = run("keel:accept", Map.of());

        assertThat(output).contains("from_dot_env").as("the server is at fault, not the changelog").doesNotContain("does not apply");
    }

    @Test
    void aToolRunWithOnlySomeModulesInTheBuildIsRefusedBeforeItReadsStaleClasses() throws Exception {
        // db, which depends on no module of the reactor: any other would first need the rest in the local repository.
        Finished run = maven(List.of("-pl", "db", "keel:generate", "-Dname=Probe"), Map.of());

        assertThat(run.exitCode()).as(run.output()).isNotZero();
        assertThat(run.output()).as(run.output()).contains("keel:generate runs from the repository root").contains("without -pl")
                .doesNotContain("Wrote ");
    }

    /** Port 1 on the loopback interface refuses at once. */
    private static String unreachable(String database) {
        return "jdbc:postgresql://127.0.0.1:1/" + database + "?user=postgres";
    }

    /**
     * {@code mvn <goal>} in the copy, whose classes are already there, so the run writes nothing but the tools' lock
     * and runs beside the others; the environment has only the TEST_DB_URL that {@code environment} gives. Returns
     * what it printed, after checking that the tool refused because the server cannot be reached.
     */
    private static String run(String goal, Map<String, String> environment, String... properties) throws Exception {
        List<String> arguments = new ArrayList<>(List.of(goal));
        arguments.addAll(List.of(properties));
        Finished run = maven(arguments, environment);
        String output = run.output();
        assertThat(run.exitCode()).as(output).isNotZero();
        assertThat(output).as(output).contains("cannot be reached");
        return output;
    }

    /** A finished {@code mvn} run in the copy: its exit code and what it printed. */
    private record Finished(int exitCode, String output) {
    }

    /** Runs {@code mvn -B <arguments>} in the copy to its end, its output going to a log file of its own. */
    private static Finished maven(List<String> arguments, Map<String, String> environment) throws Exception {
        boolean windows = System.getProperty("os.name").toLowerCase().startsWith("windows");
        List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("maven.home"), "bin", windows ? "mvn.cmd" : "mvn").toString(),
                "-B", "-Dmaven.main.skip", "-Dmaven.resources.skip"));
        command.addAll(arguments);
        Path log = Files.createTempFile(copy, "tool-", ".log");
        ProcessBuilder builder = new ProcessBuilder(command).directory(copy.toFile()).redirectErrorStream(true).redirectOutput(log.toFile());
        builder.environment().remove("TEST_DB_URL");
        builder.environment().putAll(UpdateSelection.fromSettings().settings()); // the copy has no .env to hold them
        builder.environment().putAll(environment);
        Process maven = builder.start();
        if (!maven.waitFor(5, TimeUnit.MINUTES)) {
            maven.destroyForcibly();
            throw new AssertionError("mvn " + arguments + " did not finish within 5 minutes:\n" + Files.readString(log));
        }
        return new Finished(maven.exitValue(), Files.readString(log));
    }
}
