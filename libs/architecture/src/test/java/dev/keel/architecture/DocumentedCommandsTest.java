package dev.keel.architecture;

import static org.assertj.core.api.Assertions.assertThat;

import dev.keel.db.settings.Settings;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class DocumentedCommandsTest {

    private final Path root = Settings.root();

    @Test
    void everyDocumentedCommandNamesWhatTheRepositoryHas() throws Exception {
        Map<String, String> pages = DocumentedCommands.pages(root);
        assertThat(pages).containsKey("README.md").hasSizeGreaterThan(5);

        List<String> problems = DocumentedCommands.problems(root, pages);

        assertThat(problems).as(String.join(System.lineSeparator(), problems)).isEmpty();
    }

    @Test
    void plantedCommandsThatNameMissingThingsAreEachReported() throws Exception {
        String page = """
                ```
                mvn -pl libs/no-such-module test
                mvn keel:no-such-goal
                mvn -q -pl bench -am compile exec:exec@no-such-execution
                ```
                Then `mvn -Pno-such-profile package` and `bash bench/no-such-script.sh`; `mvn keel:generate -Dname=X` is fine.
                """;

        List<String> problems = DocumentedCommands.problems(root, Map.of("docs/planted.md", page));

        assertThat(problems).hasSize(5)
                .anyMatch(p -> p.contains("no module libs/no-such-module"))
                .anyMatch(p -> p.contains("no goal keel:no-such-goal"))
                .anyMatch(p -> p.contains("no exec execution no-such-execution"))
                .anyMatch(p -> p.contains("no profile no-such-profile"))
                .anyMatch(p -> p.contains("no script bench/no-such-script.sh"));
    }
}
