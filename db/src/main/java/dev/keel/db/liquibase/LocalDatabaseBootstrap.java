package dev.keel.db.liquibase;

import dev.keel.db.settings.Settings;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Properties;
import java.util.logging.Logger;
import org.postgresql.Driver;
import org.postgresql.PGProperty;

/**
 * Creates the target database on a local host when it does not exist yet, as {@code createdb} would,
 * so that a fresh clone needs no manual step. It never acts on a remote host. Connection problems are
 * left to Liquibase, whose own connection error then names them.
 */
final class LocalDatabaseBootstrap {

    private static final Logger LOG = Logger.getLogger(LocalDatabaseBootstrap.class.getName());
    private static volatile String ensured;

    private LocalDatabaseBootstrap() {
    }

    static void ensureExists(String jdbcUrl, Settings settings) {
        if (jdbcUrl.equals(ensured) || !LocalHosts.allLocal(jdbcUrl)) {
            return;
        }
        Properties parsed = Driver.parseURL(jdbcUrl, new Properties());
        if (parsed == null) {
            return;
        }
        String database = PGProperty.PG_DBNAME.getOrDefault(parsed);
        Properties credentials = new Properties();
        credentials.setProperty("user", settings.get("DB_USERNAME"));
        credentials.setProperty("password", settings.get("DB_PASSWORD"));
        credentials.setProperty("connectTimeout", "5");
        String maintenanceUrl = jdbcUrl.substring(0, jdbcUrl.indexOf('/', "jdbc:postgresql://".length())) + "/postgres";
        try (Connection connection = new Driver().connect(maintenanceUrl, credentials)) {
            if (connection != null && !exists(connection, database)) {
                try (Statement statement = connection.createStatement()) {
                    statement.execute("CREATE DATABASE \"" + database.replace("\"", "\"\"") + "\"");
                }
                LOG.info("Created database " + database + " on the local server (local hosts only)");
            }
            ensured = jdbcUrl;
        } catch (SQLException e) {
            LOG.fine("Not creating database " + database + ": " + e.getMessage());
        }
    }

    private static boolean exists(Connection connection, String database) throws SQLException {
        try (PreparedStatement query = connection.prepareStatement("SELECT 1 FROM pg_database WHERE datname = ?")) {
            query.setString(1, database);
            try (ResultSet rows = query.executeQuery()) {
                return rows.next();
            }
        }
    }
}
