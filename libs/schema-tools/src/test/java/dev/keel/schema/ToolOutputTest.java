package dev.keel.schema;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * Ctrl-C starts the JVM's shutdown, whose hooks stop the embedded PostgreSQL under a running tool. The tool then fails
 * (a closed connection, reported as a changelog that does not apply); what it prints must say it was interrupted.
 */
class ToolOutputTest {

    /** A tool whose server a shutdown hook takes away, as Ctrl-C does, while it works; prints what the tool reports. */
    public static void main(String[] args) throws Exception {
        CountDownLatch serverStopped = new CountDownLatch(1);
        CountDownLatch reported = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            serverStopped.countDown();
            try {
                reported.await(30, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }));
        String report = ToolOutput.refusal(() -> {
            // System.exit starts the same shutdown as Ctrl-C, on every OS.
            new Thread(() -> System.exit(130)).start();
            serverStopped.await();
            throw new ToolOutput.Refused("The changelog does not apply to an empty database: This connection has been closed.");
        });
        System.out.println(report);
        System.out.flush();
        reported.countDown();
    }

    @Test
    void aToolStoppedByCtrlCSaysItWasInterruptedNotThatTheChangelogIsBroken() throws Exception {
        Process tool = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-cp",
                System.getProperty("java.class.path"), ToolOutputTest.class.getName()).redirectErrorStream(true).start();
        assertThat(tool.waitFor(60, TimeUnit.SECONDS)).isTrue();

        assertThat(new String(tool.getInputStream().readAllBytes(), StandardCharsets.UTF_8).strip()).isEqualTo(ToolOutput.INTERRUPTED);
    }
}
