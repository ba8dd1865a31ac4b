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
 * It never acts on a remote host, where both are the DBA's job. Connection problems are left to
 * Liquibase, whose own connection error then names them; a refused CREATE stops the goal with the fix.
 */
public final class LocalDatabaseBootstrap {

    private static final Logger LOG = Logger.getLogger(LocalDatabaseBootstrap.class.getName());
    private static volatile String ensured;
    /** duplicate_database, duplicate_object, and unique_violation (two CREATE ROLE at once). */
    private static final java.util.Set<String> ALREADY_EXISTS = java.util.Set.of("42P04", "42710", "23505");

    private LocalDatabaseBootstrap() {
    }

    public static void ensureExists(String jdbcUrl, Settings settings) {
        if (jdbcUrl.equals(ensured) || !JdbcUrls.allLocal(jdbcUrl)) {
            return;
        }
        Properties parsed = JdbcUrls.parse(jdbcUrl);
        if (parsed == null) {
            return;
        }
        String database = PGProperty.PG_DBNAME.getOrDefault(parsed);
        Properties credentials = new Properties();
        parsed.forEach((key, value) -> {
            if (!key.toString().startsWith("PG") && !key.equals("options")) {
                credentials.put(key, value);
            }
        });
        credentials.setProperty("user", settings.get("DB_USERNAME"));
        credentials.setProperty("password", settings.get("DB_PASSWORD"));
        credentials.setProperty("connectTimeout", "5");
        String maintenanceUrl = JdbcUrls.maintenanceUrl(parsed);
        Connection connection;
        try {
            connection = new Driver().connect(maintenanceUrl, credentials);
        } catch (SQLException e) {
            // Liquibase connects next, and its own error names an unreachable server or a refused login.
            LOG.fine("Cannot reach " + maintenanceUrl + " to check for database " + database + ": " + e.getMessage());
            return;
        }
        if (connection == null) {
            return;
        }
        String user = settings.get("DB_USERNAME");
        try (connection) {
            if (!exists(connection, "SELECT 1 FROM pg_database WHERE datname = ?", database)) {
                create(connection, "CREATE DATABASE " + quoted(database), "database " + database, user,
                        "create it yourself (createdb " + database + "), or let " + user + " create databases (ALTER ROLE " + user + " CREATEDB)");
                liquibase.Scope.getCurrentScope().getUI().sendMessage("Created database " + database + " on the local server (local hosts only)");
            }
            String appRole = settings.get("DB_APP_USERNAME");
            if (!exists(connection, "SELECT 1 FROM pg_roles WHERE rolname = ?", appRole)) {
                create(connection, "CREATE ROLE " + quoted(appRole) + " LOGIN PASSWORD '" + settings.get("DB_APP_PASSWORD").replace("'", "''") + "'",
                        "role " + appRole, user, "create it yourself (see docs/guards.md, \"The application role in production\"), or let "
                                + user + " create roles (ALTER ROLE " + user + " CREATEROLE)");
                liquibase.Scope.getCurrentScope().getUI().sendMessage("Created role " + appRole + " on the local server (local hosts only)");
            }
            ensured = jdbcUrl;
        } catch (SQLException e) {
            LOG.fine("Cannot check for database " + database + ": " + e.getMessage());
        }
    }

    /** Creates something; a concurrent run that created it first is fine, anything else stops the goal with the fix. */
    private static void create(Connection connection, String sql, String what, String user, String fix) {
        try {
            execute(connection, sql);
        } catch (SQLException e) {
            if (!ALREADY_EXISTS.contains(e.getSQLState())) {
                throw new IllegalStateException("Cannot create " + what + " on the local server as " + user + ": " + e.getMessage()
                        + ". Either " + fix + ".", e);
            }
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
