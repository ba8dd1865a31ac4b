package dev.keel.db.settings;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * The {@code .env} file at the monorepo root: {@code KEY=VALUE} lines, {@code #} comments,
 * optional {@code export } prefixes and single- or double-quoted values.
 * A missing file is an empty one; a malformed line is an error that names the file and the line.
 */
public final class DotEnvFile {

    private static final Pattern KEY = Pattern.compile("[A-Za-z_][A-Za-z0-9_]*");

    /** A value together with the line it came from. */
    public record Entry(String value, int line) {
    }

    private final Path path;
    private final Map<String, Entry> entries;

    private DotEnvFile(Path path, Map<String, Entry> entries) {
        this.path = path;
        this.entries = entries;
    }

    public static DotEnvFile read(Path path) {
        if (!Files.isRegularFile(path)) {
            return new DotEnvFile(path, Map.of());
        }
        try {
            return parse(path, Files.readAllLines(path, StandardCharsets.UTF_8));
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot read " + path + ": " + e.getMessage(), e);
        }
    }

    static DotEnvFile parse(Path path, List<String> lines) {
        Map<String, Entry> entries = new LinkedHashMap<>();
        for (int i = 0; i < lines.size(); i++) {
            int lineNumber = i + 1;
            String line = lines.get(i).strip();
            if (line.isEmpty() || line.startsWith("#")) {
                continue;
            }
            if (line.startsWith("export ")) {
                line = line.substring("export ".length()).strip();
            }
            int equals = line.indexOf('=');
            if (equals < 0) {
                throw error(path, lineNumber, "expected KEY=VALUE but found '" + line + "'");
            }
            String key = line.substring(0, equals).strip();
            if (!KEY.matcher(key).matches()) {
                throw error(path, lineNumber, "'" + key + "' is not a valid key (letters, digits and _ only)");
            }
            Entry previous = entries.get(key);
            if (previous != null) {
                throw error(path, lineNumber, key + " is already set on line " + previous.line() + "; keep one of them");
            }
            entries.put(key, new Entry(value(path, lineNumber, line.substring(equals + 1).strip()), lineNumber));
        }
        return new DotEnvFile(path, Collections.unmodifiableMap(entries));
    }

    private static String value(Path path, int lineNumber, String raw) {
        if (raw.startsWith("\"") || raw.startsWith("'")) {
            char quote = raw.charAt(0);
            int end = raw.indexOf(quote, 1);
            if (end < 0) {
                throw error(path, lineNumber, "the value opens a " + quote + " quote that is never closed");
            }
            String rest = raw.substring(end + 1).strip();
            if (!rest.isEmpty() && !rest.startsWith("#")) {
                throw error(path, lineNumber, "unexpected text after the closing quote: '" + rest + "'");
            }
            return raw.substring(1, end);
        }
        int comment = raw.indexOf(" #");
        return (comment < 0 ? raw : raw.substring(0, comment)).strip();
    }

    private static SettingsException error(Path path, int lineNumber, String problem) {
        return new SettingsException(path + " line " + lineNumber + ": " + problem);
    }

    public Path path() {
        return path;
    }

    public Map<String, Entry> entries() {
        return entries;
    }
}
