package dev.keel.db.settings;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Properties;

/**
 * Keel's settings, looked up in this order: a real environment variable, a {@code -D} system property,
 * the {@code .env} file at the monorepo root, then the documented default. Every key is listed here,
 * so a typo in {@code .env} is reported instead of silently falling back to a default.
 */
public final class Settings {

    /** Every key with its documented default; {@code .env.example} documents the same keys. */
    public static final Map<String, String> DEFAULTS = defaults();

    private final Map<String, String> environment;
    private final Properties systemProperties;
    private final DotEnvFile dotEnv;

    public Settings(Map<String, String> environment, Properties systemProperties, DotEnvFile dotEnv) {
        this.environment = environment;
        this.systemProperties = systemProperties;
        this.dotEnv = dotEnv;
        for (Map.Entry<String, DotEnvFile.Entry> entry : dotEnv.entries().entrySet()) {
            if (!DEFAULTS.containsKey(entry.getKey())) {
                throw new SettingsException(dotEnv.path() + " line " + entry.getValue().line() + ": unknown key "
                        + entry.getKey() + "; the keys are " + String.join(", ", DEFAULTS.keySet()));
            }
        }
    }

    /** The settings of this process, with the {@code .env} file of the monorepo root. */
    public static Settings load() {
        return new Settings(System.getenv(), System.getProperties(), DotEnvFile.read(root().resolve(".env")));
    }

    /**
     * The monorepo root: Maven's {@code maven.multiModuleProjectDirectory} when Maven runs us,
     * otherwise the nearest directory upwards that holds {@code .mvn}.
     */
    public static Path root() {
        String fromMaven = System.getProperty("maven.multiModuleProjectDirectory");
        if (fromMaven != null && !fromMaven.isBlank()) {
            return Path.of(fromMaven).toAbsolutePath().normalize();
        }
        Path start = Path.of("").toAbsolutePath();
        for (Path dir = start; dir != null; dir = dir.getParent()) {
            if (Files.isDirectory(dir.resolve(".mvn"))) {
                return dir;
            }
        }
        return start;
    }

    /** The value of a key; blank only where the key is optional. */
    public String get(String key) {
        Value value = lookup(key);
        if (value.text().isBlank() && !isOptional(key)) {
            throw new SettingsException(key + " is empty (" + value.source() + "); set a value or remove it to use the default '"
                    + DEFAULTS.get(key) + "'");
        }
        return value.text().strip();
    }

    public int getPort(String key) {
        return getInt(key, 1, 65535);
    }

    /** A whole number within [min, max]; anything else is an error that names the source. */
    public int getInt(String key, int min, int max) {
        String text = get(key);
        try {
            int number = Integer.parseInt(text);
            if (number >= min && number <= max) {
                return number;
            }
        } catch (NumberFormatException ignored) {
            // reported below
        }
        throw new SettingsException(key + " must be a whole number from " + min + " to " + max + ", but is '" + text + "' ("
                + lookup(key).source() + ")");
    }

    /** Where a key's value comes from, for messages. */
    public String sourceOf(String key) {
        return lookup(key).source();
    }

    private record Value(String text, String source) {
    }

    private Value lookup(String key) {
        if (!DEFAULTS.containsKey(key)) {
            throw new SettingsException("unknown setting " + key + "; the keys are " + String.join(", ", DEFAULTS.keySet()));
        }
        String fromEnvironment = environment.get(key);
        if (fromEnvironment != null) {
            return new Value(fromEnvironment, "environment variable " + key);
        }
        String fromProperty = systemProperties.getProperty(key);
        if (fromProperty != null) {
            return new Value(fromProperty, "system property -D" + key);
        }
        DotEnvFile.Entry fromFile = dotEnv.entries().get(key);
        if (fromFile != null) {
            return new Value(fromFile.value(), dotEnv.path() + " line " + fromFile.line());
        }
        return new Value(DEFAULTS.get(key), "default");
    }

    private static boolean isOptional(String key) {
        return DEFAULTS.get(key).isEmpty();
    }

    private static Map<String, String> defaults() {
        Map<String, String> defaults = new LinkedHashMap<>();
        defaults.put("DB_HOST", "localhost");
        defaults.put("DB_PORT", "5432");
        defaults.put("DB_NAME", "keel");
        defaults.put("DB_USERNAME", "postgres");
        defaults.put("DB_PASSWORD", "");
        defaults.put("DB_APP_USERNAME", "keel_app");
        defaults.put("DB_APP_PASSWORD", "keel_app");
        defaults.put("DB_POOL_MAX_SIZE", "10");
        defaults.put("DB_POOL_CONNECTION_TIMEOUT_MS", "5000");
        defaults.put("DB_POOL_IDLE_TIMEOUT_MS", "600000");
        defaults.put("DB_POOL_MAX_LIFETIME_MS", "1800000");
        defaults.put("DB_LOCK_TIMEOUT_MS", "3000");
        defaults.put("TEST_DB_URL", "");
        return Collections.unmodifiableMap(defaults);
    }
}
