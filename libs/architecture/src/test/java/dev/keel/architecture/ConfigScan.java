package dev.keel.architecture;

import dev.keel.persistence.guard.AutoDdlSettings;
import java.io.IOException;
import java.io.Reader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.nodes.MappingNode;
import org.yaml.snakeyaml.nodes.Node;
import org.yaml.snakeyaml.nodes.NodeTuple;
import org.yaml.snakeyaml.nodes.ScalarNode;
import org.yaml.snakeyaml.nodes.SequenceNode;

/**
 * Scans every properties, YAML and {@code .env*} file of the repository (main and test resources, every
 * profile, {@code .env.example}, CI workflows) and the POMs, for settings that would let the ORM generate
 * DDL. Keys are compared as Spring's relaxed binding sees them; {@code -Dkey=value} and {@code --key=value}
 * inside values (a workflow's {@code run:}, a POM's JVM arguments) count too.
 */
final class ConfigScan {

    /** One setting that was found, with where. */
    record Finding(String file, int line, String key, String value, String problem) {

        @Override
        public String toString() {
            return file + ":" + line + ": " + key + "=" + value + " " + problem;
        }
    }

    private static final Set<String> SKIPPED_DIRECTORIES = Set.of(".git", "target", "node_modules", ".idea");
    private static final Pattern ARGUMENT = Pattern.compile("(?:-D|--)([A-Za-z0-9_.\\-\\[\\]]+)=([^\\s\"']+)");
    private static final Pattern PROPERTY_LINE = Pattern.compile("^\\s*(?:export\\s+)?([^=:\\s]+)\\s*[=:]\\s*(.*)$");

    private final Path root;
    private final List<Finding> findings = new ArrayList<>();

    private ConfigScan(Path root) {
        this.root = root;
    }

    static List<Finding> scan(Path root) {
        ConfigScan scan = new ConfigScan(root);
        try (Stream<Path> files = Files.walk(root)) {
            files.filter(Files::isRegularFile).filter(scan::isScanned).sorted().forEach(scan::scanFile);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return scan.findings;
    }

    private boolean isScanned(Path file) {
        for (Path part : root.relativize(file)) {
            if (SKIPPED_DIRECTORIES.contains(part.toString())) {
                return false;
            }
        }
        String name = file.getFileName().toString();
        return name.endsWith(".properties") || name.endsWith(".yaml") || name.endsWith(".yml") || name.startsWith(".env")
                || name.equals("pom.xml");
    }

    private void scanFile(Path file) {
        String name = file.getFileName().toString();
        try {
            if (name.endsWith(".yaml") || name.endsWith(".yml")) {
                scanYaml(file);
            } else {
                scanLines(file, !name.equals("pom.xml"));
            }
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot read " + file, e);
        }
    }

    private void scanLines(Path file, boolean keyValueLines) throws IOException {
        List<String> lines = Files.readAllLines(file, StandardCharsets.UTF_8);
        for (int i = 0; i < lines.size(); i++) {
            String line = lines.get(i);
            if (line.strip().startsWith("#") || line.strip().startsWith("!")) {
                continue;
            }
            Matcher property = PROPERTY_LINE.matcher(line);
            if (keyValueLines && property.matches()) {
                check(file, i + 1, property.group(1), unquote(property.group(2)));
            }
            checkArguments(file, i + 1, line);
        }
    }

    private void scanYaml(Path file) throws IOException {
        try (Reader reader = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
            for (Node document : new Yaml().composeAll(reader)) {
                walk(file, "", document);
            }
        }
    }

    private void walk(Path file, String path, Node node) {
        if (node instanceof MappingNode mapping) {
            for (NodeTuple tuple : mapping.getValue()) {
                String key = tuple.getKeyNode() instanceof ScalarNode scalar ? scalar.getValue() : "?";
                walk(file, path.isEmpty() ? key : path + "." + key, tuple.getValueNode());
            }
        } else if (node instanceof SequenceNode sequence) {
            for (int i = 0; i < sequence.getValue().size(); i++) {
                walk(file, path + "[" + i + "]", sequence.getValue().get(i));
            }
        } else if (node instanceof ScalarNode scalar) {
            int line = scalar.getStartMark().getLine() + 1;
            check(file, line, path, scalar.getValue());
            for (String textLine : scalar.getValue().split("\n")) {
                checkArguments(file, line, textLine);
            }
        }
    }

    private void checkArguments(Path file, int line, String text) {
        Matcher argument = ARGUMENT.matcher(text);
        while (argument.find()) {
            check(file, line, argument.group(1), argument.group(2));
        }
    }

    private void check(Path file, int line, String key, String value) {
        String relative = root.relativize(file).toString().replace('\\', '/');
        // db/ runs Liquibase itself; everything else may reach the service.
        Optional<String> problem = relative.startsWith("db/")
                ? AutoDdlSettings.problem(key, value)
                : AutoDdlSettings.serviceProblem(key, value);
        problem.ifPresent(text -> findings.add(new Finding(relative, line, key, value, text)));
    }

    private static String unquote(String value) {
        String text = value.strip();
        int comment = text.indexOf(" #");
        if (comment >= 0) {
            text = text.substring(0, comment).strip();
        }
        if (text.length() >= 2 && (text.startsWith("\"") && text.endsWith("\"") || text.startsWith("'") && text.endsWith("'"))) {
            return text.substring(1, text.length() - 1);
        }
        return text;
    }
}
