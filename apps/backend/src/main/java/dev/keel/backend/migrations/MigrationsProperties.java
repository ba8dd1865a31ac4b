package dev.keel.backend.migrations;

import org.springframework.boot.context.properties.ConfigurationProperties;

/**
 * {@code keel.migrations.on-pending}: what the service does when the database is behind the changelog.
 * {@code fail} (the default) refuses to start; {@code warn} starts anyway, for local work only.
 */
@ConfigurationProperties("keel.migrations")
public record MigrationsProperties(OnPending onPending) {

    public enum OnPending { FAIL, WARN }

    public MigrationsProperties {
        onPending = onPending == null ? OnPending.FAIL : onPending;
    }
}
