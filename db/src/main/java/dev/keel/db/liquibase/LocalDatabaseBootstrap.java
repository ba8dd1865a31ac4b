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
 * Creates the target database and the application role on a local host when they do not exist yet,
 * as {@code createdb} and {@code createuser} would, so that a fresh clone needs no manual step.
 * It never acts on a remote host, where both are the DBA's job. Connection problems are
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
            if (connection == null) {
                return;
            }
            if (!exists(connection, "SELECT 1 FROM pg_database WHERE datname = ?", database)) {
                execute(connection, "CREATE DATABASE " + quoted(database));
                LOG.info("Created database " + database + " on the local server (local hosts only)");
            }
            String appRole = settings.get("DB_APP_USERNAME");
            if (!exists(connection, "SELECT 1 FROM pg_roles WHERE rolname = ?", appRole)) {
                execute(connection, "CREATE ROLE " + quoted(appRole) + " LOGIN PASSWORD '"
                        + settings.get("DB_APP_PASSWORD").replace("'", "''") + "'");
                LOG.info("Created role " + appRole + " on the local server (local hosts only)");
            }
            ensured = jdbcUrl;
        } catch (SQLException e) {
            LOG.fine("Not creating database " + database + ": " + e.getMessage());
        }
    }

    private static String quoted(String identifier) {
        return "\"" + identifier.replace("\"", "\"\"") + "\"";
    }

    private static void execute(Connection connection, String sql) throws SQLException {
        try (Statement statement = connection.createStatement()) {
            statement.execute(sql);
        }
    }

    private static boolean exists(Connection connection, String sql, String name) throws SQLException {
        try (PreparedStatement query = connection.prepareStatement(sql)) {
            query.setString(1, name);
            try (ResultSet rows = query.executeQuery()) {
                return rows.next();
            }
        }
    }
}
