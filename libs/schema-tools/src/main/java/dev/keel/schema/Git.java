package dev.keel.schema;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** The git command line, run in a directory with a time limit; the tools read history through it and never change it. */
public final class Git {

    private static final long TIMEOUT_SECONDS = 60;

    private Git() {
    }

    /** What git printed on standard output, with its exit code; exit -1 when git is missing or did not finish in time. */
    public record Result(int exit, String output) {

        public boolean ok() {
            return exit == 0;
        }
    }

    public static Result run(Path directory, String... arguments) {
        List<String> command = new ArrayList<>(List.of("git"));
        command.addAll(List.of(arguments));
        try {
            // To a file, so the time limit holds even when git never closes its output.
            Path output = Files.createTempFile("keel-git", ".txt");
            try {
                Process git = new ProcessBuilder(command).directory(directory.toFile())
                        .redirectError(ProcessBuilder.Redirect.DISCARD).redirectOutput(output.toFile()).start();
                if (!git.waitFor(TIMEOUT_SECONDS, TimeUnit.SECONDS)) {
                    git.destroyForcibly();
                    return new Result(-1, "");
                }
                return new Result(git.exitValue(), Files.readString(output, StandardCharsets.UTF_8));
            } finally {
                Files.deleteIfExists(output);
            }
        } catch (IOException e) {
            return new Result(-1, "");
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return new Result(-1, "");
        }
    }
}
