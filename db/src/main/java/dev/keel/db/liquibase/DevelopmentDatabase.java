package dev.keel.db.liquibase;

import dev.keel.db.embedded.PrivateFolder;
import dev.keel.db.embedded.PrivatePostgres;
import dev.keel.db.settings.Settings;
import dev.keel.db.settings.SettingsException;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.FileDescriptor;
import java.io.FileOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Locale;
import java.util.Map;
import liquibase.Scope;

/**
 * The database a laptop with Java alone migrates: when DB_HOST is not set and no PostgreSQL answers on the default
 * host, the {@code liquibase:*} goals start an embedded PostgreSQL on a data directory Keel keeps for this clone
 * (DEV_DB_DIR, by default under {@code ~/.keel/dev-postgres}), use it for this one command and stop it when the command
 * ends. Only the goals carry the embedded server (a plugin dependency); the migration jar, which production runs, never
 * does, and with DB_HOST set nothing here ever starts.
 */
final class DevelopmentDatabase {

    private static final String EMBEDDED = "io.zonky.test.db.postgres.embedded.EmbeddedPostgres";
    private static EmbeddedPostgres started;

    private DevelopmentDatabase() {
    }

    /**
     * Starts the development database when DB_HOST is not set, no server answers at the default host and this process
     * carries the embedded server; from then on this process's settings point at it. True when it started it.
     */
    static synchronized boolean startIfNeeded(Settings settings) {
        if (started != null || !settings.sourceOf("DB_HOST").equals("default") || !available()) {
            return false;
        }
        String nobody = settings.get("DB_HOST") + ":" + settings.getPort("DB_PORT");
        if (JdbcUrls.answers("jdbc:postgresql://" + nobody + "/postgres")) {
            return false;
        }
        Path directory = directory(settings);
        started = start(directory, nobody);
        String password;
        try {
            password = PrivateFolder.password(directory);
        } catch (IOException e) {
            throw new SettingsException("Cannot read the password of Keel's development database in " + directory + ": " + e.getMessage());
        }
        Settings.replaceForThisProcess(Map.of("DB_HOST", "localhost", "DB_PORT", String.valueOf(started.getPort()),
                "DB_USERNAME", PrivatePostgres.SUPERUSER, "DB_PASSWORD", password), "Keel's development database in " + directory);
        return true;
    }

    /** Where this clone's development database lives: DEV_DB_DIR, else a folder under the user's home named after the clone. */
    static Path directory(Settings settings) {
        String configured = settings.get("DEV_DB_DIR");
        if (!configured.isEmpty()) {
            return Path.of(configured).toAbsolutePath();
        }
        Path root = Settings.root();
        String clone = root.getFileName() == null ? "root" : root.getFileName().toString().replaceAll("[^A-Za-z0-9._-]", "_");
        return Path.of(System.getProperty("user.home"), ".keel", "dev-postgres", clone + "-" + shortHash(root.toString()));
    }

    /**
     * The cluster lives in {@code directory}/data beside its superuser's password, in a folder only this account may use;
     * its binaries are the tests' ({@link PrivatePostgres#binariesFolder()}).
     */
    private static EmbeddedPostgres start(Path directory, String nobody) {
        try {
            Path binaries = PrivatePostgres.binariesFolder();
            Files.createDirectories(directory.getParent());
            PrivateFolder.open(directory);
            EmbeddedPostgres server = PrivatePostgres.builder(binaries, directory).setDataDirectory(directory.resolve("data"))
                    .setCleanDataDirectory(false).setRegisterShutdownHook(false)
                    .setOutputRedirector(ProcessBuilder.Redirect.DISCARD).setErrorRedirector(ProcessBuilder.Redirect.DISCARD).start();
            // Loaded now: when the hook runs, Maven has closed the plugin's class loader, which then loads no class.
            InterruptReport.armed();
            Runtime.getRuntime().addShutdownHook(new Thread(() -> stop(server, directory), "keel-development-database-stop"));
            PrivatePostgres.restrictWorkingFolder(binaries);
            Scope.getCurrentScope().getUI().sendMessage("No PostgreSQL answers at " + nobody + " and DB_HOST is not set: using Keel's"
                    + " development database in " + directory + " (port " + server.getPort() + ") for this command; it stops when the"
                    + " command ends and keeps its data. Set DB_HOST to use a server of your own.");
            return server;
        } catch (IOException | RuntimeException e) {
            throw new SettingsException("No PostgreSQL answers at " + nobody + ", and Keel's development database in " + directory
                    + " could not start (" + firstLine(e) + "). It may be in use by another command: wait for it, or start PostgreSQL"
                    + " and set DB_HOST.");
        }
    }

    /**
     * Stops the server as the command's JVM exits. The command's own output ends first: after a Ctrl-C the goal is
     * still running, and would print, as failures of its own, the connection this stop takes from it; the one line
     * {@link InterruptReport} prints says what became of the changeset.
     */
    private static void stop(EmbeddedPostgres server, Path directory) {
        if (InterruptReport.armed()) {
            System.out.close();
        }
        try {
            server.close();
        } catch (IOException | RuntimeException e) {
            PrintStream terminal = new PrintStream(new FileOutputStream(FileDescriptor.err), true, StandardCharsets.UTF_8);
            terminal.print("Keel's development database in " + directory + " did not stop (" + firstLine(e) + "): end the process whose id"
                    + " is the first line of " + directory.resolve("data").resolve("postmaster.pid") + System.lineSeparator());
        }
    }

    private static boolean available() {
        try {
            Class.forName(EMBEDDED, false, DevelopmentDatabase.class.getClassLoader());
            return true;
        } catch (ClassNotFoundException | LinkageError e) {
            return false;
        }
    }

    private static String firstLine(Throwable e) {
        Throwable root = e;
        while (root.getCause() != null && root.getCause() != root) {
            root = root.getCause();
        }
        return root.getClass().getSimpleName() + ": " + String.valueOf(root.getMessage()).lines().findFirst().orElse("").strip();
    }

    private static String shortHash(String text) {
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8));
            return HexFormat.of().formatHex(digest, 0, 4).toLowerCase(Locale.ROOT);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
