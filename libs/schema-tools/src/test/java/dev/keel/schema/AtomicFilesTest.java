package dev.keel.schema;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class AtomicFilesTest {

    @Test
    void replacesTheFileWholeAndLeavesNoTemporaryFile(@TempDir Path folder) throws Exception {
        Path file = folder.resolve("db.changelog-master.yaml");
        Files.writeString(file, "old");

        AtomicFiles.write(file, "new text");

        assertThat(file).hasContent("new text");
        try (Stream<Path> files = Files.list(folder)) {
            assertThat(files).containsExactly(file);
        }
    }
}
