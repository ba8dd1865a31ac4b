package dev.keel.schema;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFileAttributeView;
import java.nio.file.attribute.PosixFilePermissions;
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

    @Test
    void aNewFileGetsTheUmasksPermissionsAndAnExistingOneKeepsItsOwn(@TempDir Path folder) throws Exception {
        Path plain = Files.writeString(folder.resolve("written-plainly.txt"), "x");
        Path created = folder.resolve("schema.sql");
        Path existing = Files.writeString(folder.resolve("run.sh"), "old");
        boolean posix = Files.getFileAttributeView(folder, PosixFileAttributeView.class) != null;
        if (posix) {
            Files.setPosixFilePermissions(existing, PosixFilePermissions.fromString("rwxr-x---"));
        }

        AtomicFiles.write(created, "new");
        AtomicFiles.write(existing, "new");

        assertThat(created).hasContent("new");
        assertThat(existing).hasContent("new");
        if (posix) {
            assertThat(Files.getPosixFilePermissions(created)).as("as any new file here").isEqualTo(Files.getPosixFilePermissions(plain));
            assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(existing))).isEqualTo("rwxr-x---");
        }
    }
}
