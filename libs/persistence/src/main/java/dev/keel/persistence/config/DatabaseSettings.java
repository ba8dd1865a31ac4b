package dev.keel.persistence.config;

import dev.keel.db.settings.Settings;

/**
 * How the service reaches PostgreSQL: the same keys, with the same precedence, as the db goals
 * (environment, -D, the root .env, defaults), but as the application role, never the schema owner.
 */
public record DatabaseSettings(
        String jdbcUrl,
        String username,
        String password,
        int poolMaxSize,
        int connectionTimeoutMs,
        int idleTimeoutMs,
        int maxLifetimeMs) {

    /** The goals' connection (the root POM's keel.db.url) without the session options only migrations need. */
    static final String URL = "jdbc:postgresql://%{DB_HOST}:%{DB_PORT}/%{DB_NAME}?sslmode=%{DB_SSLMODE}&sslrootcert=%{DB_SSLROOTCERT}";

    public static DatabaseSettings load() {
        return from(Settings.load());
    }

    public static DatabaseSettings from(Settings settings) {
        return new DatabaseSettings(
                settings.expand(URL),
                settings.get("DB_APP_USERNAME"),
                settings.get("DB_APP_PASSWORD"),
                settings.getInt("DB_POOL_MAX_SIZE", 1, 1000),
                settings.getInt("DB_POOL_CONNECTION_TIMEOUT_MS", 250, 600_000),
                settings.getInt("DB_POOL_IDLE_TIMEOUT_MS", 10_000, Integer.MAX_VALUE),
                settings.getInt("DB_POOL_MAX_LIFETIME_MS", 30_000, Integer.MAX_VALUE));
    }

    /** The same settings pointed at another database and role, as tests and local runs need. */
    public DatabaseSettings withConnection(String jdbcUrl, String username, String password) {
        return new DatabaseSettings(jdbcUrl, username, password, poolMaxSize, connectionTimeoutMs, idleTimeoutMs, maxLifetimeMs);
    }

    @Override
    public String toString() {
        return "DatabaseSettings[" + username + "@" + jdbcUrl + ", pool " + poolMaxSize + "]";
    }
}
