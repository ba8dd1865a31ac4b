package dev.keel.migrations;

import dev.keel.db.liquibase.UpdateSelection;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/** target/keel-migrations.jar as a deploy job runs it: {@code java -jar} with nothing but Java on the PATH and no .env. */
final class MigrationsJar {

    private static final Path JAR = Path.of("target", "keel-migrations.jar").toAbsolutePath();

    record Run(int exitCode, String out, String err) {
    }

    private MigrationsJar() {
    }

    /** {@code java -jar keel-migrations.jar <arguments>} in an empty folder under {@code scratch}, its settings from the environment alone. */
    static Run run(Path scratch, Map<String, String> settings, String... arguments) throws IOException, InterruptedException {
        Path java = Path.of(System.getProperty("java.home"), "bin", "java");
        // The flags of .mvn/jvm.config: a run lives a second or two, where the quick compiler and the simplest collector
        // cost less CPU than the defaults, and they change nothing the jar does.
        List<String> command = new ArrayList<>(List.of(java.toString(), "-XX:TieredStopAtLevel=1", "-XX:+UseSerialGC", "-jar", JAR.toString()));
        command.addAll(List.of(arguments));
        Path out = scratch.resolve("out.txt");
        Path err = scratch.resolve("err.txt");
        Path workingFolder = Files.createDirectories(scratch.resolve("work"));
        ProcessBuilder builder = new ProcessBuilder(command).directory(workingFolder.toFile())
                .redirectOutput(out.toFile()).redirectError(err.toFile());
        builder.environment().clear();
        builder.environment().put("PATH", java.getParent().toString());
        // The contexts and labels the deploy's environment gives the jar, as the checks used them.
        builder.environment().putAll(UpdateSelection.fromSettings().settings());
        builder.environment().putAll(settings);
        Process process = builder.start();
        if (!process.waitFor(2, TimeUnit.MINUTES)) {
            process.destroyForcibly();
            throw new IllegalStateException("java -jar keel-migrations.jar did not finish within 2 minutes");
        }
        return new Run(process.exitValue(), Files.readString(out, StandardCharsets.UTF_8), Files.readString(err, StandardCharsets.UTF_8));
    }
}
