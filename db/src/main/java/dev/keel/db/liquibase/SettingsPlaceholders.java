package dev.keel.db.liquibase;

import dev.keel.db.settings.Settings;
import liquibase.configuration.ConfiguredValue;
import liquibase.configuration.ConfiguredValueModifier;

/**
 * Expands {@code %{KEY}} in the liquibase-maven-plugin's configuration from Keel's {@link Settings}.
 * Maven itself would turn an unresolved {@code ${KEY}} into null, hence the different syntax.
 * A JDBC URL to a local host also gets its database and the application role created if missing, and a server that
 * refuses the login stops the goal with one line naming the setting to fix.
 */
public final class SettingsPlaceholders implements ConfiguredValueModifier<Object> {

    @Override
    public int getOrder() {
        // Liquibase keeps modifiers in a set ordered by this number, so it must not clash with another one.
        return 4_711;
    }

    @Override
    public void override(ConfiguredValue<Object> value) {
        Object current = value.getValue();
        if (current instanceof String text && Settings.PLACEHOLDER.matcher(text).find()) {
            value.override(override(text), "Keel settings");
        }
    }

    @Override
    public String override(String value) {
        if (value == null || !Settings.PLACEHOLDER.matcher(value).find()) {
            return value;
        }
        Settings settings = Settings.load();
        if (DevelopmentDatabase.startIfNeeded(settings)) {
            settings = Settings.load();
        }
        String expanded = settings.expand(value);
        if (expanded.startsWith(JdbcUrls.PREFIX)) {
            JdbcUrls.requireAnswer(expanded);
            LocalDatabaseBootstrap.ensureExists(expanded, settings);
            JdbcUrls.requireLogin(expanded, settings.get("DB_USERNAME"), settings.get("DB_PASSWORD"));
        }
        return expanded;
    }
}
