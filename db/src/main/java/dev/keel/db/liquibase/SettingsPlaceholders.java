package dev.keel.db.liquibase;

import dev.keel.db.settings.Settings;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import liquibase.configuration.ConfiguredValue;
import liquibase.configuration.ConfiguredValueModifier;

/**
 * Expands {@code %{KEY}} in the liquibase-maven-plugin's configuration from Keel's {@link Settings}.
 * Maven itself would turn an unresolved {@code ${KEY}} into null, hence the different syntax.
 * A JDBC URL to a local host also gets its database and the application role created if missing.
 */
public final class SettingsPlaceholders implements ConfiguredValueModifier<Object> {

    private static final Pattern PLACEHOLDER = Pattern.compile("%\\{([A-Za-z0-9_]+)}");

    @Override
    public int getOrder() {
        // Liquibase keeps modifiers in a set ordered by this number, so it must not clash with another one.
        return 4_711;
    }

    @Override
    public void override(ConfiguredValue<Object> value) {
        Object current = value.getValue();
        if (current instanceof String text && PLACEHOLDER.matcher(text).find()) {
            value.override(override(text), "Keel settings");
        }
    }

    @Override
    public String override(String value) {
        if (value == null || !PLACEHOLDER.matcher(value).find()) {
            return value;
        }
        Settings settings = Settings.load();
        String expanded = expand(value, settings);
        if (expanded.startsWith("jdbc:postgresql:")) {
            LocalDatabaseBootstrap.ensureExists(expanded, settings);
        }
        return expanded;
    }

    static String expand(String value, Settings settings) {
        Matcher matcher = PLACEHOLDER.matcher(value);
        StringBuilder expanded = new StringBuilder();
        while (matcher.find()) {
            String key = matcher.group(1);
            String replacement = key.endsWith("_PORT") ? String.valueOf(settings.getPort(key))
                    : key.endsWith("_MS") ? String.valueOf(settings.getInt(key, 0, Integer.MAX_VALUE)) : settings.get(key);
            matcher.appendReplacement(expanded, Matcher.quoteReplacement(replacement));
        }
        matcher.appendTail(expanded);
        return expanded.toString();
    }
}
