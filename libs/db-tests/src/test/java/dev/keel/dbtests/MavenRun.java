package dev.keel.dbtests;

import dev.keel.db.settings.Settings;
import dev.keel.testdb.TestPostgres;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.maven.shared.verifier.VerificationException;
import org.apache.maven.shared.verifier.Verifier;

/**
 * Runs a real {@code mvn -B -pl db liquibase:*} command from the monorepo root, with the same Maven that
 * runs the build, connected to a test database through the DB_* settings.
 *
 * <p>{@link #start} starts a separate Maven process, for the tests whose point is a process (killed, or
 * several at once). {@link #run} runs Maven inside this JVM through Maven's own launcher: the same command line,
 * {@code .mvn/maven.config} and plugins, but Maven's classes stay loaded and compiled from one run to the next.
 */
public final class MavenRun {

    private static final AtomicInteger RUNS = new AtomicInteger();

    private final Process process;
    private final StringBuffer output = new StringBuffer();
    private final Thread reader;
    private final Integer finishedWith;

    private MavenRun(Process process) {
        this.process = process;
        this.finishedWith = null;
        this.reader = new Thread(() -> copy(process.getInputStream(), output), "mvn-output");
        reader.setDaemon(true);
        reader.start();
    }

    private MavenRun(int exitCode, String output) {
        this.process = null;
        this.reader = null;
        this.finishedWith = exitCode;
        this.output.append(output);
    }

    /** Starts {@code mvn -B -pl db <goal> <arguments>} as a process of its own against the given test database. */
    public static MavenRun start(TestPostgres.Server server, String database, String goal, String... arguments) {
        return start(server, database, Map.of(), goal, arguments);
    }

    public static MavenRun start(TestPostgres.Server server, String database, Map<String, String> extraSettings,
                                 String goal, String... arguments) {
        List<String> command = new ArrayList<>(List.of("-pl", "db", goal));
        command.addAll(List.of(arguments));
        return startIn(Settings.root(), settings(server, database, extraSettings), command);
    }

    /** The repository root, read under the lock of {@link #run}, whose in-process Maven replaces the system properties. */
    public static synchronized Path root() {
        return Settings.root();
    }

    /**
     * Starts {@code mvn -B <arguments>} as a process of its own in {@code root}, with the environment variables
     * {@code environment} names set, or removed where the value is null. Safe beside a run inside this JVM: it reads
     * the system properties under the same lock.
     */
    public static synchronized MavenRun startIn(Path root, Map<String, String> environment, List<String> arguments) {
        boolean windows = System.getProperty("os.name").toLowerCase().startsWith("windows");
        List<String> command = new ArrayList<>(List.of(Path.of(mavenHome(), "bin", windows ? "mvn.cmd" : "mvn").toString(), "-B"));
        command.addAll(arguments);
        ProcessBuilder builder = new ProcessBuilder(command).directory(root.toFile()).redirectErrorStream(true);
        environment.forEach((name, value) -> {
            if (value == null) {
                builder.environment().remove(name);
            } else {
                builder.environment().put(name, value);
            }
        });
        try {
            return new MavenRun(builder.start());
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot start " + command, e);
        }
    }

    /** Runs {@code mvn -B -pl db <goal> <arguments>} to completion inside this JVM. */
    public static MavenRun run(TestPostgres.Server server, String database, String goal, String... arguments) {
        return run(server, database, Map.of(), goal, arguments);
    }

    /**
     * The test JVM's class path, for a process a test starts. Read under the lock of {@link #run}, whose in-process
     * Maven puts back the JVM's system properties of its start, where the class path is Failsafe's booter alone.
     */
    public static synchronized String testClassPath() {
        return System.getProperty("java.class.path");
    }

    /**
     * As {@link #run(TestPostgres.Server, String, String, String...)}, with more settings. The settings go in as system
     * properties, which an environment variable of the same name outranks, so with such a variable set the run
     * gets a process of its own instead.
     */
    public static synchronized MavenRun run(TestPostgres.Server server, String database, Map<String, String> extraSettings,
                                            String goal, String... arguments) {
        Map<String, String> settings = settings(server, database, extraSettings);
        if (settings.keySet().stream().anyMatch(System.getenv()::containsKey)) {
            return start(server, database, extraSettings, goal, arguments).awaitExit();
        }
        Path root = Settings.root();
        Path log = Path.of("target", "maven-runs", "run-" + RUNS.incrementAndGet() + ".log").toAbsolutePath();
        try {
            Files.createDirectories(log.getParent());
            Verifier maven = new Verifier(root.toString(), null, false, mavenHome(), new String[] {"-B"});
            maven.setForkJvm(false);
            maven.setAutoclean(false);
            maven.setLogFileName(root.relativize(log).toString());
            settings.forEach(maven::setSystemProperty);
            maven.addCliArguments("-pl", "db", goal);
            maven.addCliArguments(arguments);
            int exitCode = 0;
            try {
                maven.execute();
            } catch (VerificationException e) {
                if (!Files.exists(log)) {
                    throw new IllegalStateException("Maven could not be started inside this JVM", e);
                }
                exitCode = 1;
            }
            return new MavenRun(exitCode, Files.readString(log));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (VerificationException e) {
            throw new IllegalStateException(e);
        }
    }

    private static Map<String, String> settings(TestPostgres.Server server, String database, Map<String, String> extra) {
        Map<String, String> settings = TestPostgres.settingsFor(server, database);
        settings.putAll(extra);
        return settings;
    }

    private static String mavenHome() {
        String mavenHome = System.getProperty("maven.home");
        if (mavenHome == null || mavenHome.isBlank()) {
            throw new IllegalStateException("maven.home is not set; run this test through Maven (mvn verify)");
        }
        return mavenHome;
    }

    public MavenRun awaitExit() {
        if (process == null) {
            return this;
        }
        try {
            if (!process.waitFor(5, TimeUnit.MINUTES)) {
                process.destroyForcibly();
                throw new IllegalStateException("mvn did not finish within 5 minutes:\n" + output);
            }
            reader.join(TimeUnit.SECONDS.toMillis(30));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
        return this;
    }

    /** SIGKILL on Linux and macOS: the JVM gets no chance to clean up. */
    public void kill() throws InterruptedException {
        if (process == null) {
            throw new IllegalStateException("a run inside this JVM cannot be killed; start() one");
        }
        process.destroyForcibly();
        process.waitFor(1, TimeUnit.MINUTES);
    }

    /**
     * SIGTERM on Linux and macOS, as a Ctrl-C or a deploy job's stop: the JVM's shutdown hooks run. Waits for the exit,
     * keeping what the process prints after the signal ({@code Process.destroy()} would stop reading it).
     */
    public MavenRun interrupt() {
        if (process == null) {
            throw new IllegalStateException("a run inside this JVM cannot be interrupted; start() one");
        }
        process.toHandle().destroy();
        return awaitExit();
    }

    public boolean isRunning() {
        return process != null && process.isAlive();
    }

    public int exitCode() {
        return process == null ? finishedWith : process.exitValue();
    }

    public String output() {
        return output.toString();
    }

    @Override
    public String toString() {
        return "mvn run:\n" + output;
    }

    /** Appends what {@code in} gives, as UTF-8, until it ends or fails. */
    static void copy(InputStream in, StringBuffer output) {
        // A reader decodes across reads, so a character split between two chunks stays whole.
        char[] buffer = new char[8192];
        try (java.io.Reader reader = new java.io.InputStreamReader(in, StandardCharsets.UTF_8)) {
            for (int n; (n = reader.read(buffer)) > 0; ) {
                output.append(buffer, 0, n);
            }
        } catch (IOException ignored) {
            // the process has gone
        }
    }
}
