package dev.keel.db.liquibase;

import dev.keel.db.settings.Settings;
import java.util.LinkedHashMap;
import java.util.Map;
import liquibase.configuration.AbstractMapConfigurationValueProvider;

/**
 * Liquibase's own settings that Keel's settings may hold ({@link UpdateSelection#CONTEXTS} and
 * {@link UpdateSelection#LABELS}), for the goals and every in-process run: Liquibase reads them from the environment
 * only, and Keel also from a {@code -D} property (a line of {@code .mvn/maven.config} sets one for every build) and
 * {@code .env}. Below the environment in precedence, and an explicit {@code -Dliquibase.contexts} on a goal overrides
 * all of them.
 */
public final class SelectionForLiquibase extends AbstractMapConfigurationValueProvider {

    /** Keel's key, as Liquibase reads it from the environment, to Liquibase's own name for it. */
    private static final Map<String, String> KEYS = Map.of(UpdateSelection.CONTEXTS, "liquibase.command.contexts",
            UpdateSelection.LABELS, "liquibase.command.labelFilter");

    /** What the values were read for: the root Maven names and the properties, which a test may change. */
    private String readFor;
    private Map<String, String> values;

    @Override
    public int getPrecedence() {
        return 100;
    }

    @Override
    protected synchronized Map<?, ?> getMap() {
        String now = System.getProperty("maven.multiModuleProjectDirectory") + "|" + System.getProperty(UpdateSelection.CONTEXTS)
                + "|" + System.getProperty(UpdateSelection.LABELS);
        if (values == null || !now.equals(readFor)) {
            readFor = now;
            Map<String, String> read = new LinkedHashMap<>();
            try {
                Settings settings = Settings.load();
                KEYS.forEach((key, liquibaseKey) -> {
                    String value = settings.get(key);
                    if (!value.isBlank()) {
                        read.put(liquibaseKey, value);
                    }
                });
            } catch (RuntimeException unreadable) {
                // Keel's own settings report a malformed .env, naming the line; Liquibase gets nothing from it.
            }
            values = read;
        }
        return values;
    }

    @Override
    protected String getSourceDescription() {
        return "Keel's settings";
    }
}
