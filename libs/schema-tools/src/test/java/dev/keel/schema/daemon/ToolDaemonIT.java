package dev.keel.schema.daemon;

import static org.assertj.core.api.Assertions.assertThat;

import dev.keel.schema.Project;
import dev.keel.schema.generate.GenerateChangeset;
import dev.keel.schema.testing.FixtureProject;
import dev.keel.schema.testing.MavenRun;
import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;
import java.util.concurrent.TimeUnit;
import javax.tools.ToolProvider;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.api.parallel.Execution;
import org.junit.jupiter.api.parallel.ExecutionMode;

/**
 * Runs beside the module's other test classes: it starts processes only, and reads the class path through
 * {@link MavenRun#testClassPath()}. Generate as the README runs it: a client process, the warm JVM it starts, and entity classes that change between
 * runs, compiled here into a directory of their own as Maven compiles libs/persistence.
 */
@Execution(ExecutionMode.CONCURRENT)
class ToolDaemonIT {

    private static final String ENTITY_PACKAGE = "dev.keel.daemonfixture";
    private static final String NOT_A_NAME = "1";

    @TempDir
    Path temp;

    private Path state;

    @AfterEach
    void endTheWarmJvm() throws Exception {
        Path file = state.resolve(ToolDaemon.PROPERTIES);
        if (Files.exists(file)) {
            // As the machine ending a session would: its shutdown hooks drop its databases.
            ProcessHandle.of(daemonPid()).ifPresent(daemon -> {
                daemon.destroy();
                daemon.onExit().join();
            });
        }
    }

    @Test
    @Execution(ExecutionMode.CONCURRENT)
    void servesLaterRunsWarmWithTheEntitiesAsTheyAreNowAndReplacesAKilledOne() throws Exception {
        Project project = FixtureProject.create(temp.resolve("repository"));
        state = temp.resolve("state");
        Path entities = temp.resolve("entities");
        compileParent(entities, "");

        // A run the tool refuses at once still starts the warm JVM, and spares this test a cold Hibernate.
        Run first = generate(project, entities, NOT_A_NAME, true);
        assertThat(first.status()).isEqualTo(1);
        assertThat(first.output()).contains("Usage: ");
        long firstDaemon = daemonPid();
        assertThat(servedRuns()).isEmpty();

        Run second = generate(project, entities, "AddCode", true);
        assertThat(second.output()).contains("The entities and the changelog agree; nothing was written.");
        assertThat(servedRuns()).as(log()).hasSize(1);

        compileParent(entities, "@Column(name = \"code\", length = 20) private String code;");
        Run third = generate(project, entities, "AddCode", true);
        assertThat(third.status()).isZero();
        assertThat(third.output()).contains("Wrote db/src/main/resources/db/changelog/changes/").contains("_add_code.yaml (");
        assertThat(servedRuns()).as(log()).hasSize(2).last().asString().contains(GenerateChangeset.class.getName()).contains("ended with 0");

        // The changelog changed on the class path too, as db's resources do under -am compile; that is no restart.
        Run fourth = generate(project, entities, "AddCode", true);
        assertThat(fourth.output()).contains("The entities and the changelog agree; nothing was written.");
        assertThat(servedRuns()).as(log()).hasSize(3);

        // Ended from outside, as when its session ends: it leaves its file behind, and its shutdown hooks drop its databases.
        ProcessHandle.of(firstDaemon).orElseThrow().destroy();
        ProcessHandle.of(firstDaemon).ifPresent(daemon -> daemon.onExit().join());
        assertThat(state.resolve(ToolDaemon.PROPERTIES)).exists();
        Run fifth = generate(project, entities, NOT_A_NAME, true);
        assertThat(fifth.output()).contains("Usage: ");
        assertThat(servedRuns()).hasSize(3);
        assertThat(daemonPid()).isNotEqualTo(firstDaemon);
    }

    @Test
    @Execution(ExecutionMode.CONCURRENT)
    void startsNoWarmJvmWhenToldNotTo() throws Exception {
        Project project = FixtureProject.create(temp.resolve("repository"));
        Path entities = temp.resolve("entities");
        compileParent(entities, "");
        state = temp.resolve("state");

        Run run = generate(project, entities, NOT_A_NAME, false);

        // A client starts the warm JVM before it ends, so there would be its directory by now.
        assertThat(run.output()).contains("Usage: ");
        assertThat(state).doesNotExist();
    }

    private record Run(int status, String output) {
    }

    /**
     * The client as exec:exec@generate starts it, with this JVM's class path, the entities' directory and the
     * changelog's (which under Maven is db's output directory) on it.
     */
    private Run generate(Project project, Path entities, String name, boolean daemon) throws Exception {
        List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Dkeel.tools.daemon=" + daemon, "-Dkeel.tools.state-directory=" + state, "-Dname=" + name,
                "-Dkeel.entity-package=" + ENTITY_PACKAGE, "-Dmaven.multiModuleProjectDirectory=" + project.root(),
                "-cp", String.join(File.pathSeparator, entities.toString(), project.resources().toString(), MavenRun.testClassPath()),
                ToolClient.class.getName(), GenerateChangeset.class.getName()));
        Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
        String output;
        try (InputStream in = process.getInputStream()) {
            output = new String(in.readAllBytes(), StandardCharsets.UTF_8).strip();
        }
        assertThat(process.waitFor(2, TimeUnit.MINUTES)).isTrue();
        // The test class path's logback-test.xml lets Hibernate's warnings through; the tools' own class path does not.
        return new Run(process.exitValue(), output);
    }

    /** The warm JVM's process id, once it has written its file. */
    private long daemonPid() throws Exception {
        Path file = state.resolve(ToolDaemon.PROPERTIES);
        Instant until = Instant.now().plus(Duration.ofMinutes(1));
        while (!Files.exists(file) && Instant.now().isBefore(until)) {
            Thread.sleep(100);
        }
        Properties properties = new Properties();
        try (InputStream in = Files.newInputStream(file)) {
            properties.load(in);
        }
        return Long.parseLong(properties.getProperty("pid"));
    }

    private String log() throws IOException {
        return Files.readString(state.resolve(ToolDaemon.LOG));
    }

    private List<String> servedRuns() throws IOException {
        return Files.readAllLines(state.resolve(ToolDaemon.LOG)).stream().filter(line -> line.contains(" ended with ")).toList();
    }

    /** FixtureProject's fixture_parents as an entity, with {@code extra} mapped too. */
    private static void compileParent(Path classes, String extra) throws IOException {
        Path source = classes.resolveSibling("sources").resolve(ENTITY_PACKAGE.replace('.', '/')).resolve("Parent.java");
        Files.createDirectories(source.getParent());
        Files.writeString(source, """
                package %s;

                import jakarta.persistence.*;

                @Entity
                @Table(name = "fixture_parents")
                public class Parent {
                    @Id @GeneratedValue(strategy = GenerationType.IDENTITY) private Long id;
                    @Column(name = "name", nullable = false, length = 100) private String name;
                    %s
                }
                """.formatted(ENTITY_PACKAGE, extra));
        Files.createDirectories(classes);
        int status = ToolProvider.getSystemJavaCompiler().run(null, null, null,
                "-d", classes.toString(), "-cp", MavenRun.testClassPath(), source.toString());
        assertThat(status).isZero();
    }
}
