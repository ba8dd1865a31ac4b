package dev.keel.schema.testing;

import dev.keel.db.settings.Settings;
import dev.keel.testdb.TestPostgres;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * Runs a real {@code mvn -pl db liquibase:*} command from the monorepo root, with the same Maven that
 * runs the build, connected to a test database through the DB_* environment variables.
 */
public final class MavenRun {

    private final Process process;
    private final StringBuffer output = new StringBuffer();
    private final Thread reader;

    private MavenRun(Process process) {
        this.process = process;
        this.reader = new Thread(() -> copy(process.getInputStream()), "mvn-output");
        reader.setDaemon(true);
        reader.start();
    }

    /** Starts {@code mvn -B -pl db <goal> <arguments>} against the given test database. */
    public static MavenRun start(TestPostgres.Server server, String database, String goal, String... arguments) {
        return start(server, database, Map.of(), goal, arguments);
    }

    public static MavenRun start(TestPostgres.Server server, String database, Map<String, String> extraEnvironment,
                                 String goal, String... arguments) {
        String mavenHome = System.getProperty("maven.home");
        if (mavenHome == null || mavenHome.isBlank()) {
            throw new IllegalStateException("maven.home is not set; run this test through Maven (mvn verify)");
        }
        boolean windows = System.getProperty("os.name").toLowerCase().startsWith("windows");
        List<String> command = new ArrayList<>(List.of(
                Path.of(mavenHome, "bin", windows ? "mvn.cmd" : "mvn").toString(), "-B", "-pl", "db", goal));
        command.addAll(List.of(arguments));
        ProcessBuilder builder = new ProcessBuilder(command).directory(Settings.root().toFile()).redirectErrorStream(true);
        Map<String, String> environment = builder.environment();
        environment.put("DB_HOST", server.host());
        environment.put("DB_PORT", String.valueOf(server.port()));
        environment.put("DB_NAME", database);
        environment.put("DB_USERNAME", server.username());
        environment.put("DB_PASSWORD", server.password());
        environment.put("DB_APP_USERNAME", TestPostgres.APP_ROLE);
        environment.put("DB_APP_PASSWORD", TestPostgres.APP_PASSWORD);
        environment.putAll(extraEnvironment);
        try {
            return new MavenRun(builder.start());
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot start " + command, e);
        }
    }

    /** Runs to completion and returns this run. */
    public static MavenRun run(TestPostgres.Server server, String database, String goal, String... arguments) {
        return start(server, database, goal, arguments).awaitExit();
    }

    public MavenRun awaitExit() {
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
        process.destroyForcibly();
        process.waitFor(1, TimeUnit.MINUTES);
    }

    public boolean isRunning() {
        return process.isAlive();
    }

    public int exitCode() {
        return process.exitValue();
    }

    public String output() {
        return output.toString();
    }

    @Override
    public String toString() {
        return "mvn run:\n" + output;
    }

    private void copy(InputStream in) {
        byte[] buffer = new byte[8192];
        try {
            for (int n; (n = in.read(buffer)) > 0; ) {
                output.append(new String(buffer, 0, n, StandardCharsets.UTF_8));
            }
        } catch (IOException ignored) {
            // the process has gone
        }
    }
}
