package dev.keel.db.settings;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.StringJoiner;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

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

    /** Values this process uses in place of any configured ones, and what they stand for (see {@link #replaceForThisProcess}). */
    private static volatile Map<String, String> replaced = Map.of();
    private static volatile String replacedBy = "";

    /**
     * From now on, this process uses {@code values} in place of whatever is configured for those keys: the goals'
     * development database replaces the server's address and the superuser's credentials for the rest of the command.
     */
    public static void replaceForThisProcess(Map<String, String> values, String by) {
        replaced = Map.copyOf(values);
        replacedBy = by;
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

    /**
     * A value that goes into a JDBC URL, as pgjdbc will read it back. A host, database or role name with a character
     * that would change the URL (a {@code ?host=} pasted into DB_NAME, a space that starts another {@code -c} option) is
     * refused, naming the key; DB_SSLMODE must be one of pgjdbc's modes; DB_SSLROOTCERT, a path, is URL-encoded.
     */
    public String getForUrl(String key) {
        if (key.endsWith("_PORT")) {
            return String.valueOf(getPort(key));
        }
        if (key.endsWith("_MS") || key.endsWith("_RETRIES")) {
            return String.valueOf(getInt(key, 0, Integer.MAX_VALUE));
        }
        String value = get(key);
        if (key.equals("DB_SSLMODE")) {
            if (!SSL_MODES.contains(value)) {
                throw new SettingsException("DB_SSLMODE must be one of " + String.join(", ", SSL_MODES) + ", but is '" + value
                        + "' (" + sourceOf(key) + ")");
            }
            return value;
        }
        if (key.equals("DB_SSLROOTCERT")) {
            return URLEncoder.encode(value, StandardCharsets.UTF_8);
        }
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            // A host may be an IPv6 address, or a list of host[:port] that pgjdbc tries in turn.
            boolean hostPart = key.endsWith("_HOST") && (c == ':' || c == '[' || c == ']' || c == ',');
            if (!hostPart && (Character.isWhitespace(c) || Character.isISOControl(c) || URL_SPECIAL.indexOf(c) >= 0)) {
                throw new SettingsException(key + " may not contain '" + c + "', which would change the connection URL; it is '"
                        + value + "' (" + sourceOf(key) + "). Set " + key + " to " + (key.endsWith("_HOST") ? "host names or addresses"
                        : "the name alone") + (key.equals("DB_NAME") ? ", and TLS with DB_SSLMODE and DB_SSLROOTCERT" : ""));
            }
        }
        return value;
    }

    /**
     * Replaces each {@code %{KEY}} with its setting. In a JDBC URL every value is checked as {@link #getForUrl} checks
     * it, and a query parameter left empty (DB_SSLROOTCERT unset) is left out, so pgjdbc keeps its own default.
     */
    public String expand(String template) {
        boolean url = template.startsWith("jdbc:");
        Matcher matcher = PLACEHOLDER.matcher(template);
        StringBuilder expanded = new StringBuilder();
        while (matcher.find()) {
            String key = matcher.group(1);
            String value = url ? getForUrl(key) : key.endsWith("_PORT") ? String.valueOf(getPort(key))
                    : key.endsWith("_MS") ? String.valueOf(getInt(key, 0, Integer.MAX_VALUE)) : get(key);
            matcher.appendReplacement(expanded, Matcher.quoteReplacement(value));
        }
        matcher.appendTail(expanded);
        return url ? withoutEmptyParameters(expanded.toString()) : expanded.toString();
    }

    /** The URL without query parameters whose value is empty. */
    static String withoutEmptyParameters(String url) {
        int query = url.indexOf('?');
        if (query < 0) {
            return url;
        }
        StringJoiner kept = new StringJoiner("&", "?", "");
        kept.setEmptyValue("");
        for (String parameter : url.substring(query + 1).split("&")) {
            if (!parameter.isEmpty() && !parameter.endsWith("=")) {
                kept.add(parameter);
            }
        }
        return url.substring(0, query) + kept;
    }

    /** A Keel setting inside a configuration value; Maven would turn an unresolved {@code ${KEY}} into null, hence not that. */
    public static final Pattern PLACEHOLDER = Pattern.compile("%\\{([A-Za-z0-9_]+)}");

    /** pgjdbc's sslmode values, from no TLS to TLS with the server's certificate and host name verified. */
    public static final List<String> SSL_MODES = List.of("disable", "allow", "prefer", "require", "verify-ca", "verify-full");

    /** Characters with a meaning in a JDBC URL or in its options parameter. */
    private static final String URL_SPECIAL = "?&/#%+=,;\\\"'@:[]";

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
        String fromProcess = replaced.get(key);
        if (fromProcess != null) {
            return new Value(fromProcess, replacedBy);
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
        defaults.put("DB_LOCK_RETRIES", "3");
        defaults.put("DB_SSLMODE", "prefer");
        defaults.put("DB_SSLROOTCERT", "");
        defaults.put("DEV_DB_DIR", "");
        defaults.put("TEST_DB_URL", "");
        defaults.put("LIQUIBASE_COMMAND_CONTEXTS", "");
        defaults.put("LIQUIBASE_COMMAND_LABEL_FILTER", "");
        return Collections.unmodifiableMap(defaults);
    }
}
