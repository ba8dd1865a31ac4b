package dev.keel.schema;

import dev.keel.schema.accept.Accept;
import dev.keel.schema.generate.GenerateChangeset;
import dev.keel.schema.online.OnlineCheckTool;
import dev.keel.schema.review.Review;
import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/**
 * The keel:* goals' entry point: the Maven plugin in libs/maven-plugin calls {@link #run} inside Maven's JVM. Runs on
 * one repository take turns: each holds a lock on {@code target/keel-tools.lock} at the root while it works, so two
 * runs never interleave their reads and writes of the changelog, the list and the snapshot.
 */
public final class Tools {

    private Tools() {
    }

    /** Runs one tool; null when it succeeded, else the one-line reason it refused or failed. */
    public static String run(String tool) {
        // Hibernate's jboss-logging takes SLF4J only when told to, else java.util.logging, which prints its INFO lines.
        System.setProperty("org.jboss.logging.provider", "slf4j");
        ToolOutput.Work work = switch (tool) {
            case "generate" -> GenerateChangeset::run;
            case "accept" -> Accept::run;
            case "online-check" -> OnlineCheckTool::run;
            case "rebase" -> dev.keel.schema.rebase.Rebase::run;
            case "review" -> Review::run;
            default -> null;
        };
        if (work == null) {
            return "Unknown tool " + tool + "; the tools are generate, accept, online-check, rebase and review";
        }
        return takingTurns(Project.current().root(), () -> ToolOutput.refusal(work));
    }

    /** Runs {@code work} while this process holds the repository's tool lock, waiting for another process's run first. */
    static String takingTurns(Path root, java.util.function.Supplier<String> work) {
        Path lockFile = root.resolve("target/keel-tools.lock");
        try {
            Files.createDirectories(lockFile.getParent());
            try (FileChannel channel = FileChannel.open(lockFile, StandardOpenOption.CREATE, StandardOpenOption.WRITE);
                 FileLock ignored = takeTurn(channel)) {
                return work.get();
            }
        } catch (IOException e) {
            return "Cannot lock " + lockFile + " for this run: " + e.getMessage();
        }
    }

    private static FileLock takeTurn(FileChannel channel) throws IOException {
        FileLock lock = channel.tryLock();
        if (lock == null) {
            System.out.println("Another keel:* run is working on this repository; waiting for it to finish.");
            lock = channel.lock();
        }
        return lock;
    }
}
