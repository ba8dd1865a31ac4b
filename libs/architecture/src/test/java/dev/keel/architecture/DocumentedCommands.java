package dev.keel.architecture;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import java.util.zip.ZipFile;

/**
 * The commands that the README and the pages of docs/ show, in code blocks or inline, checked against the repository:
 * every module a {@code -pl} names, every {@code keel:*} goal (in the committed plugin), every {@code exec:exec@id},
 * every {@code -P} profile and every script must exist. Running the commands is the job of the tests that run them.
 */
final class DocumentedCommands {

    private static final Pattern COMMAND = Pattern.compile("(?m)(?:^|`)((?:\\./mvnw|mvnw|mvn|bash) [^`\\n]+)");

    private DocumentedCommands() {
    }

    /** The README and every page of docs/, by path relative to the root. */
    static Map<String, String> pages(Path root) throws IOException {
        Map<String, String> pages = new LinkedHashMap<>();
        pages.put("README.md", Files.readString(root.resolve("README.md")));
        try (Stream<Path> docs = Files.list(root.resolve("docs"))) {
            for (Path page : docs.filter(p -> p.toString().endsWith(".md")).sorted().toList()) {
                pages.put("docs/" + page.getFileName(), Files.readString(page));
            }
        }
        return pages;
    }

    /** One line per command that names something the repository lacks. */
    static List<String> problems(Path root, Map<String, String> pages) throws IOException {
        List<String> goals = keelGoals(root);
        List<String> problems = new ArrayList<>();
        for (Map.Entry<String, String> page : pages.entrySet()) {
            Matcher command = COMMAND.matcher(page.getValue());
            while (command.find()) {
                String line = command.group(1).strip();
                for (String problem : problems(root, line, goals)) {
                    problems.add(page.getKey() + ": `" + line + "`: " + problem);
                }
            }
        }
        return problems;
    }

    private static List<String> problems(Path root, String command, List<String> keelGoals) throws IOException {
        List<String> problems = new ArrayList<>();
        String[] words = command.split("\\s+");
        if (words[0].equals("bash")) {
            if (words.length < 2 || !Files.isRegularFile(root.resolve(words[1]))) {
                problems.add("no script " + (words.length < 2 ? "" : words[1]));
            }
            return problems;
        }
        List<Path> modules = new ArrayList<>();
        for (int i = 1; i < words.length; i++) {
            String word = words[i];
            if (word.equals("-pl") && i + 1 < words.length) {
                for (String module : words[++i].split(",")) {
                    if (!Files.isRegularFile(root.resolve(module).resolve("pom.xml"))) {
                        problems.add("no module " + module);
                    }
                    modules.add(root.resolve(module));
                }
            } else if (word.startsWith("keel:")) {
                if (!keelGoals.contains(word.substring("keel:".length()))) {
                    problems.add("the committed plugin has no goal " + word + "; its goals are " + keelGoals);
                }
            } else if (word.startsWith("exec:exec@")) {
                String id = word.substring("exec:exec@".length());
                if (modules.stream().noneMatch(module -> pom(module).contains("<id>" + id + "</id>"))) {
                    problems.add("no exec execution " + id + " in " + (modules.isEmpty() ? "the -pl module (none named)" : modules));
                }
            } else if (word.startsWith("-P") && word.length() > 2) {
                String profile = word.substring(2);
                if (!anyPomDeclares(root, "<id>" + profile + "</id>")) {
                    problems.add("no profile " + profile);
                }
            }
        }
        return problems;
    }

    private static String pom(Path module) {
        try {
            return Files.readString(module.resolve("pom.xml"));
        } catch (IOException e) {
            return "";
        }
    }

    private static boolean anyPomDeclares(Path root, String text) throws IOException {
        try (Stream<Path> poms = Files.walk(root)) {
            return poms.filter(p -> p.getFileName().toString().equals("pom.xml"))
                    .filter(p -> !isBuildOutputOrPluginRepository(root.relativize(p)))
                    .anyMatch(p -> pom(p.getParent()).contains(text));
        }
    }

    private static boolean isBuildOutputOrPluginRepository(Path relative) {
        for (Path name : relative) {
            if (name.toString().equals("target") || name.toString().equals(".mvn")) {
                return true;
            }
        }
        return false;
    }

    /** The goals of the plugin committed under .mvn/plugins, in the version the root POM names. */
    private static List<String> keelGoals(Path root) throws IOException {
        Matcher version = Pattern.compile("<keel-maven-plugin.version>([^<]+)<").matcher(Files.readString(root.resolve("pom.xml")));
        if (!version.find()) {
            throw new IllegalStateException("the root POM names no keel-maven-plugin.version");
        }
        Path jar = root.resolve(".mvn/plugins/dev/keel/keel-maven-plugin/" + version.group(1) + "/keel-maven-plugin-" + version.group(1) + ".jar");
        try (ZipFile plugin = new ZipFile(jar.toFile())) {
            String descriptor = new String(plugin.getInputStream(plugin.getEntry("META-INF/maven/plugin.xml")).readAllBytes(),
                    java.nio.charset.StandardCharsets.UTF_8);
            List<String> goals = new ArrayList<>();
            Matcher goal = Pattern.compile("<goal>([^<]+)</goal>").matcher(descriptor);
            while (goal.find()) {
                goals.add(goal.group(1));
            }
            return goals;
        }
    }
}
