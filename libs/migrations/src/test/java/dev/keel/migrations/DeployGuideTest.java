package dev.keel.migrations;

import static org.assertj.core.api.Assertions.assertThat;

import dev.keel.db.settings.Settings;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.yaml.snakeyaml.Yaml;

/**
 * What docs/deploy.md shows and cannot be run here (a GitHub Actions job, a Kubernetes Job): its YAML parses, and every
 * command it gives the migration jar, typed or in a container's {@code command}, is one the jar accepts.
 */
class DeployGuideTest {

    private static final Pattern YAML_BLOCK = Pattern.compile("(?s)```yaml\\n(.*?)```");
    private static final Pattern TYPED = Pattern.compile("keel-migrations\\.jar((?: --?[\\w-]+(?:=[^\\s`]*)?| [a-z][a-z-]*)*)");

    @Test
    void everyMigrationJarCommandOfTheGuideIsOneTheJarAccepts() throws Exception {
        String guide = Files.readString(Settings.root().resolve("docs/deploy.md"));
        List<List<String>> commands = new ArrayList<>();
        Matcher typed = TYPED.matcher(guide);
        while (typed.find()) {
            commands.add(Arrays.stream(typed.group(1).strip().split("\\s+")).filter(word -> !word.isEmpty()).toList());
        }
        Matcher yaml = YAML_BLOCK.matcher(guide);
        int blocks = 0;
        while (yaml.find()) {
            blocks++;
            collectContainerCommands(new Yaml().load(yaml.group(1)), commands);
        }

        assertThat(blocks).as("YAML blocks in docs/deploy.md").isGreaterThanOrEqualTo(2);
        assertThat(commands).as("commands for the jar").contains(List.of("update"));
        for (List<String> command : commands) {
            if (!command.isEmpty()) {
                assertThat(Migrations.refusal(command.toArray(String[]::new))).as("java -jar keel-migrations.jar " + command).isNull();
            }
        }
    }

    @Test
    void aWrongCommandOrOptionIsRefused() {
        assertThat(Migrations.refusal(new String[] {"migrate"})).startsWith("Usage:");
        assertThat(Migrations.refusal(new String[] {"rollback-count", "--cout=1"})).startsWith("Not an option of rollback-count: --cout=1");
        assertThat(Migrations.refusal(new String[] {"update", "-Dkeel.allowOutOfOrder=true"})).isEqualTo("Not an option of update:"
                + " -Dkeel.allowOutOfOrder=true; a -D setting goes before -jar: java -Dkeel.allowOutOfOrder=true -jar keel-migrations.jar update");
    }

    /** The arguments after the jar in every {@code command: [java, -jar, …/keel-migrations.jar, …]} of a manifest. */
    private static void collectContainerCommands(Object node, List<List<String>> commands) {
        if (node instanceof Map<?, ?> map) {
            Object command = map.get("command");
            if (command instanceof List<?> words) {
                for (int i = 0; i < words.size(); i++) {
                    if (String.valueOf(words.get(i)).endsWith("keel-migrations.jar")) {
                        commands.add(words.subList(i + 1, words.size()).stream().map(String::valueOf).toList());
                    }
                }
            }
            map.values().forEach(value -> collectContainerCommands(value, commands));
        } else if (node instanceof List<?> list) {
            list.forEach(value -> collectContainerCommands(value, commands));
        }
    }
}
