package dev.keel.schema;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFileAttributeView;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * Every file a tool writes is written whole or not at all: to a temporary file beside it, then moved into place, so a
 * tool stopped mid-write (Ctrl-C, a kill) leaves the old file or the new one, never half of either. The file keeps
 * the permissions it had, and a new one gets those any new file gets (the umask), not a temporary file's owner-only ones.
 * Files that belong together, such as a new changeset and the master that includes it, are written as a set: every
 * temporary file first, then the moves, which a Ctrl-C lets finish, or which do not start once it has come.
 */
public final class AtomicFiles {

    private static final Object MOVES = new Object();
    private static boolean stopping;

    static {
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            synchronized (MOVES) {
                stopping = true;
            }
        }, "keel-files"));
    }

    private AtomicFiles() {
    }

    public static void write(Path file, String text) {
        write(Map.of(file, text));
    }

    /** Writes each file, whole, or none of them: a failure or a Ctrl-C before the moves leaves every file as it was. */
    public static void write(Map<Path, String> files) {
        write(files, List.of());
    }

    /** As {@link #write(Map)}, and deletes {@code deletes} after the moves, as part of the same set (a renamed file's old name). */
    public static void write(Map<Path, String> files, List<Path> deletes) {
        Map<Path, Path> temporaries = new LinkedHashMap<>();
        try {
            for (Map.Entry<Path, String> file : files.entrySet()) {
                temporaries.put(file.getKey(), temporary(file.getKey(), file.getValue()));
            }
            synchronized (MOVES) {
                if (stopping) {
                    throw new IOException("the tool is stopping, so nothing was moved into place");
                }
                for (Map.Entry<Path, Path> file : temporaries.entrySet()) {
                    try {
                        Files.move(file.getValue(), file.getKey(), StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
                    } catch (AtomicMoveNotSupportedException e) {
                        Files.move(file.getValue(), file.getKey(), StandardCopyOption.REPLACE_EXISTING);
                    }
                }
                for (Path delete : deletes) {
                    Files.deleteIfExists(delete);
                }
            }
        } catch (IOException e) {
            List<Path> targets = new ArrayList<>(files.keySet());
            throw new UncheckedIOException("Cannot write " + (targets.size() == 1 ? targets.get(0) : targets) + ": " + e.getMessage(), e);
        } finally {
            for (Path temporary : temporaries.values()) {
                try {
                    Files.deleteIfExists(temporary);
                } catch (IOException ignored) {
                    // Only a leftover temporary file; the targets are whole either way.
                }
            }
        }
    }

    /** The text in a temporary file beside {@code file}, with the permissions {@code file} has. */
    private static Path temporary(Path file, String text) throws IOException {
        Path temporary = file.toAbsolutePath().resolveSibling("." + file.getFileName() + "." + UUID.randomUUID() + ".tmp");
        Files.writeString(temporary, text, StandardCharsets.UTF_8, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE);
        PosixFileAttributeView posix = Files.getFileAttributeView(file, PosixFileAttributeView.class);
        if (posix != null && Files.exists(file)) {
            Files.getFileAttributeView(temporary, PosixFileAttributeView.class).setPermissions(posix.readAttributes().permissions());
        }
        return temporary;
    }
}
