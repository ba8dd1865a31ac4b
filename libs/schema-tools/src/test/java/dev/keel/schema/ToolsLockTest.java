package dev.keel.schema;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Two tool runs on one repository take turns: a run waits while another process holds the repository's tool lock. */
class ToolsLockTest {

    /** Holds the lock of the repository in args[0] until its standard input closes. */
    public static void main(String[] args) throws Exception {
        try (FileChannel channel = FileChannel.open(Path.of(args[0], "target/keel-tools.lock"), StandardOpenOption.CREATE, StandardOpenOption.WRITE);
             var ignored = channel.lock()) {
            System.out.println("holding");
            System.out.flush();
            System.in.read();
        }
    }

    @Test
    void aRunWaitsForTheRunOfAnotherProcess(@TempDir Path root) throws Exception {
        assertThat(Tools.takingTurns(root, () -> "first")).isEqualTo("first");
        Process holder = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-cp",
                System.getProperty("java.class.path"), ToolsLockTest.class.getName(), root.toString()).redirectErrorStream(true).start();
        try {
            assertThat(new BufferedReader(new InputStreamReader(holder.getInputStream())).readLine()).isEqualTo("holding");
            CompletableFuture<String> second = CompletableFuture.supplyAsync(() -> Tools.takingTurns(root, () -> "second"));
            Thread.sleep(500);
            assertThat(second).as("a run while another process holds the lock").isNotDone();

            holder.getOutputStream().close();
            assertThat(second.get(30, TimeUnit.SECONDS)).isEqualTo("second");
        } finally {
            holder.destroyForcibly();
        }
    }
}
