package dev.keel.db.liquibase;

import dev.keel.db.settings.DotEnvFile;
import dev.keel.db.settings.Settings;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import liquibase.configuration.AbstractMapConfigurationValueProvider;

/**
 * Liquibase's own settings that Keel's {@code .env} may hold ({@link UpdateSelection#CONTEXTS} and
 * {@link UpdateSelection#LABELS}), for the goals and every in-process run: Liquibase reads them from the environment
 * only. Below the environment and system properties in precedence, and an explicit {@code -Dliquibase.contexts} on a
 * goal overrides all of them.
 */
public final class DotEnvForLiquibase extends AbstractMapConfigurationValueProvider {

    /** The .env key, as Liquibase reads it from the environment, to Liquibase's own name for it. */
    private static final Map<String, String> KEYS = Map.of(UpdateSelection.CONTEXTS, "liquibase.command.contexts",
            UpdateSelection.LABELS, "liquibase.command.labelFilter");

    private Path root;
    private Map<String, String> values;

    @Override
    public int getPrecedence() {
        return 100;
    }

    @Override
    protected synchronized Map<?, ?> getMap() {
        Path now = Settings.root();
        if (values == null || !now.equals(root)) {
            root = now;
            Map<String, String> read = new LinkedHashMap<>();
            DotEnvFile dotEnv;
            try {
                dotEnv = DotEnvFile.read(now.resolve(".env"));
            } catch (RuntimeException unreadable) {
                // Keel's own settings report a malformed .env, naming the line; Liquibase gets nothing from it.
                values = read;
                return values;
            }
            for (Map.Entry<String, String> key : KEYS.entrySet()) {
                DotEnvFile.Entry entry = dotEnv.entries().get(key.getKey());
                if (entry != null && !entry.value().isBlank()) {
                    read.put(key.getValue(), entry.value().strip());
                }
            }
            values = read;
        }
        return values;
    }

    @Override
    protected String getSourceDescription() {
        return "Keel's .env";
    }
}
