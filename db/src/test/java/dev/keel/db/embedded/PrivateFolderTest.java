package dev.keel.db.embedded;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.DisabledOnOs;
import org.junit.jupiter.api.condition.OS;
import org.junit.jupiter.api.io.TempDir;

/**
 * The embedded PostgreSQL's folder is this account's alone, or it is not used. Windows has no POSIX permissions, so
 * only the first test runs there (docs/testing.md says what holds instead).
 */
class PrivateFolderTest {

    @TempDir
    Path parent;

    @Test
    void keepsOnePasswordOnceMade() throws IOException {
        Path home = PrivateFolder.open(parent.resolve("home"));

        String password = PrivateFolder.password(home);
        assertThat(password).matches("[0-9a-f]{48}");
        assertThat(PrivateFolder.password(PrivateFolder.open(home))).isEqualTo(password);
    }

    @Test
    @DisabledOnOs(OS.WINDOWS)
    void makesTheFolderAndThePasswordFileThisAccountsAlone() throws IOException {
        Path home = PrivateFolder.open(parent.resolve("home"));

        assertThat(permissions(home)).isEqualTo("rwx------");
        assertThat(uid(home)).isEqualTo(uid(parent));
        assertThat(permissions(home.resolve("password"))).isEqualTo("rw-------");
    }

    @Test
    @DisabledOnOs(OS.WINDOWS)
    void replacesAFolderOtherAccountsCouldWriteTo() throws IOException {
        Path home = Files.createDirectory(parent.resolve("home"));
        Path planted = plant(home);
        Files.setPosixFilePermissions(home, PosixFilePermissions.fromString("rwxrwxrwx"));

        PrivateFolder.open(home);

        assertThat(planted).doesNotExist();
        assertThat(permissions(home)).isEqualTo("rwx------");
        assertThat(PrivateFolder.password(home)).isNotEqualTo("known");
    }

    @Test
    @DisabledOnOs(OS.WINDOWS)
    void replacesAFolderWhosePasswordOtherAccountsCouldRead() throws IOException {
        Path home = Files.createDirectory(parent.resolve("home"), PosixFilePermissions.asFileAttribute(PrivateFolder.FOLDER));
        Path planted = plant(home);
        Files.setPosixFilePermissions(home.resolve("password"), PosixFilePermissions.fromString("rw-r--r--"));

        PrivateFolder.open(home);

        assertThat(planted).doesNotExist();
        assertThat(PrivateFolder.password(home)).isNotEqualTo("known");
        assertThat(permissions(home.resolve("password"))).isEqualTo("rw-------");
    }

    @Test
    @DisabledOnOs(OS.WINDOWS)
    void replacesALinkWithAFolderAndLeavesWhatItPointedTo() throws IOException {
        Path elsewhere = Files.createDirectory(parent.resolve("elsewhere"), PosixFilePermissions.asFileAttribute(PrivateFolder.FOLDER));
        Path planted = plant(elsewhere);
        Path home = Files.createSymbolicLink(parent.resolve("home"), elsewhere);

        PrivateFolder.open(home);

        assertThat(Files.isSymbolicLink(home)).isFalse();
        assertThat(permissions(home)).isEqualTo("rwx------");
        assertThat(planted).exists();
    }

    @Test
    @DisabledOnOs(OS.WINDOWS)
    void refusesAFolderOfAnotherAccountAndLeavesItAlone() throws IOException {
        Path home = Files.createDirectory(parent.resolve("home"), PosixFilePermissions.asFileAttribute(PrivateFolder.FOLDER));
        Path planted = plant(home);
        long another = uid(home) + 1;

        assertThatThrownBy(() -> PrivateFolder.open(home, another))
                .isInstanceOf(IOException.class)
                .hasMessageContaining(home + " belongs to another account (user id " + uid(home) + ")")
                .hasMessageContaining("Have its owner (or root) remove it.");
        assertThat(planted).exists();
    }

    /** What another account would leave: binaries of its own and a password it knows. */
    private static Path plant(Path home) throws IOException {
        Path initdb = Files.createDirectories(home.resolve("work/PG-0/bin")).resolve("initdb");
        Files.writeString(initdb, "#!/bin/sh\n");
        Files.writeString(home.resolve("password"), "known");
        Files.setPosixFilePermissions(home.resolve("password"), PosixFilePermissions.fromString("rw-------"));
        return initdb;
    }

    private static String permissions(Path path) throws IOException {
        return PosixFilePermissions.toString(Files.getPosixFilePermissions(path, LinkOption.NOFOLLOW_LINKS));
    }

    private static long uid(Path path) throws IOException {
        return ((Number) Files.getAttribute(path, "unix:uid", LinkOption.NOFOLLOW_LINKS)).longValue();
    }
}
