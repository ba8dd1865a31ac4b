package dev.keel.persistence.config;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;

/** Builds the service's connection pool from {@link DatabaseSettings}. */
public final class DataSourceFactory {

    private DataSourceFactory() {
    }

    public static HikariDataSource create(DatabaseSettings settings) {
        HikariConfig config = new HikariConfig();
        config.setPoolName("keel");
        config.setJdbcUrl(settings.jdbcUrl());
        config.setUsername(settings.username());
        config.setPassword(settings.password());
        config.setMaximumPoolSize(settings.poolMaxSize());
        config.setConnectionTimeout(settings.connectionTimeoutMs());
        config.setIdleTimeout(settings.idleTimeoutMs());
        config.setMaxLifetime(settings.maxLifetimeMs());
        // Start even when the database is down; health and the first request report it instead.
        config.setInitializationFailTimeout(-1);
        // Grow on demand rather than hold a minimum: a pool that must keep a minimum retries through a database
        // outage with a back-off of up to 5 s, which would delay recovery by as much once the database is back.
        config.setMinimumIdle(0);
        config.addDataSourceProperty("ApplicationName", "keel-backend");
        config.addDataSourceProperty("reWriteBatchedInserts", "true");
        return new HikariDataSource(config);
    }
}
