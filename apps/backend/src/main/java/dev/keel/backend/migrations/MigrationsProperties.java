package dev.keel.backend.migrations;

import org.springframework.boot.context.properties.ConfigurationProperties;

/**
 * {@code keel.migrations.on-pending}: what the service does when the database is behind the changelog.
 * {@code fail} (the default) refuses to start; {@code warn} starts anyway, for local work only.
 * {@code keel.migrations.contexts} and {@code keel.migrations.labels}: the {@code -Dliquibase.contexts} and
 * {@code -Dliquibase.labelFilter} the deploy's update uses, if any; a changeset they leave out is never pending. Unset,
 * they are LIQUIBASE_COMMAND_CONTEXTS and LIQUIBASE_COMMAND_LABEL_FILTER of Keel's settings.
 */
@ConfigurationProperties("keel.migrations")
public record MigrationsProperties(OnPending onPending, String contexts, String labels) {

    public enum OnPending { FAIL, WARN }

    public MigrationsProperties {
        onPending = onPending == null ? OnPending.FAIL : onPending;
    }
}
