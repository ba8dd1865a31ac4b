package dev.keel.db.embedded;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.attribute.FileAttribute;
import java.nio.file.attribute.PosixFileAttributes;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.util.HexFormat;
import java.util.Set;
import org.apache.commons.io.file.PathUtils;

/**
 * A folder that only this account can read or write (mode 0700, its own), holding a generated password in a file only
 * this account can read (0600). Keel's embedded PostgreSQL servers (the tests' and the goals' development database)
 * keep their binaries, their clusters and their superuser's password in such folders. A folder that another account could have written to (too open, a
 * link, a bad password file) is replaced by a fresh one; a folder that belongs to another account is refused, since
 * it cannot be removed without that account. Where the file system has no POSIX permissions (Windows), there is
 * nothing to check: the folder lives in the user's own temporary or home directory, and the password still guards the server.
 */
public final class PrivateFolder {

    public static final String PASSWORD_FILE = "password";

    static final Set<PosixFilePermission> FOLDER = PosixFilePermissions.fromString("rwx------");
    static final Set<PosixFilePermission> SECRET = PosixFilePermissions.fromString("rw-------");

    private static final boolean POSIX = FileSystems.getDefault().supportedFileAttributeViews().contains("unix");

    private PrivateFolder() {
    }

    /** Opens {@code folder} as this account (see the class comment) and returns it. */
    public static Path open(Path folder) throws IOException {
        return open(folder, POSIX ? new com.sun.security.auth.module.UnixSystem().getUid() : -1);
    }

    /** Opens {@code folder} for the account with user id {@code owner}. */
    static Path open(Path folder, long owner) throws IOException {
        if (!POSIX) {
            Files.createDirectories(folder);
            password(folder);
            return folder;
        }
        PosixFileAttributes found = attributes(folder);
        if (found == null) {
            create(folder);
            found = attributes(folder);
        }
        long uid = ((Number) Files.getAttribute(folder, "unix:uid", LinkOption.NOFOLLOW_LINKS)).longValue();
        if (uid != owner) {
            throw new IOException(folder + " belongs to another account (user id " + uid + "), so it is not used: a folder that"
                    + " account made could hand this one its binaries or data. Have its owner (or root) remove it.");
        }
        if (!found.isDirectory() || !found.permissions().equals(FOLDER) || !passwordFileIsPrivate(folder)) {
            try {
                deleteRecursively(folder);
            } catch (IOException e) {
                throw new IOException(folder + " is open to other accounts and cannot be replaced (" + e.getMessage()
                        + "). Remove it.", e);
            }
            create(folder);
        }
        if (!attributes(folder).permissions().equals(FOLDER)) {
            throw new IOException("Cannot make " + folder + " private (0700): the file system does not keep the permissions");
        }
        password(folder);
        return folder;
    }

    /** The folder's password, generated on first use. Two JVMs may ask at once: the first file linked into place wins. */
    public static String password(Path folder) throws IOException {
        Path file = folder.resolve(PASSWORD_FILE);
        if (!Files.exists(file, LinkOption.NOFOLLOW_LINKS)) {
            byte[] random = new byte[24];
            new SecureRandom().nextBytes(random);
            Path written = POSIX ? Files.createTempFile(folder, PASSWORD_FILE, ".tmp", PosixFilePermissions.asFileAttribute(SECRET))
                    : Files.createTempFile(folder, PASSWORD_FILE, ".tmp");
            try {
                Files.writeString(written, HexFormat.of().formatHex(random), StandardCharsets.US_ASCII);
                Files.createLink(file, written);
            } catch (FileAlreadyExistsException another) {
                // Another JVM linked its password first; it is the one every JVM uses.
            } finally {
                Files.deleteIfExists(written);
            }
        }
        return Files.readString(file, StandardCharsets.US_ASCII).strip();
    }

    /** Restricts a folder that a library created inside the private one back to 0700. */
    public static void restrict(Path folder) throws IOException {
        if (POSIX && Files.isDirectory(folder, LinkOption.NOFOLLOW_LINKS)) {
            Files.setPosixFilePermissions(folder, FOLDER);
        }
    }

    private static boolean passwordFileIsPrivate(Path folder) throws IOException {
        PosixFileAttributes file = attributes(folder.resolve(PASSWORD_FILE));
        return file == null || (file.isRegularFile() && file.permissions().equals(SECRET));
    }

    private static void create(Path folder) throws IOException {
        FileAttribute<Set<PosixFilePermission>> privately = PosixFilePermissions.asFileAttribute(FOLDER);
        try {
            Files.createDirectory(folder, privately);
        } catch (FileAlreadyExistsException another) {
            // Made by another JVM at the same moment; the checks that follow hold for it as for ours.
        }
    }

    private static PosixFileAttributes attributes(Path path) throws IOException {
        try {
            return Files.readAttributes(path, PosixFileAttributes.class, LinkOption.NOFOLLOW_LINKS);
        } catch (NoSuchFileException e) {
            return null;
        }
    }

    /** Deletes links as links: nothing they point to is touched. */
    private static void deleteRecursively(Path path) throws IOException {
        if (Files.isDirectory(path, LinkOption.NOFOLLOW_LINKS)) {
            PathUtils.deleteDirectory(path);
        } else {
            Files.deleteIfExists(path);
        }
    }
}
