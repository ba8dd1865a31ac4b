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
    void writesASetOfFilesAllOrNone(@TempDir Path folder) throws Exception {
        Path changeset = folder.resolve("changes/20261205_add_phone.yaml");
        Path master = Files.writeString(folder.resolve("db.changelog-master.yaml"), "old");
        Files.createDirectories(changeset.getParent());

        AtomicFiles.write(java.util.Map.of(changeset, "changeset", master, "includes it"));
        assertThat(changeset).hasContent("changeset");
        assertThat(master).hasContent("includes it");

        Path next = folder.resolve("changes/20261205_add_bio.yaml");
        Path nowhere = folder.resolve("missing/db.changelog-master.yaml");
        java.util.Map<Path, String> set = new java.util.LinkedHashMap<>();
        set.put(next, "changeset");
        set.put(nowhere, "includes it");
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> AtomicFiles.write(set)).hasMessageContaining("Cannot write");
        assertThat(next).as("not written, since the file that includes it could not be").doesNotExist();
        try (Stream<Path> files = Files.list(changeset.getParent())) {
            assertThat(files).as("no temporary file left").containsExactly(changeset);
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
