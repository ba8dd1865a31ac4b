package dev.keel.db.liquibase;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import liquibase.changelog.ChangeSet;
import org.junit.jupiter.api.Test;

/** A JVM stopped while a changeset runs says so in one line; one stopped between changesets says nothing. */
class InterruptReportTest {

    /** A child JVM: arms the report for a changeset (or arms and disarms it), and is stopped. */
    public static void main(String[] args) throws Exception {
        InterruptReport.arm(new ChangeSet("20260101000000_add_index", "keel", false, false, "db/changelog/changes/20260101000000_add_index.yaml",
                null, null, null), false);
        if (args[0].equals("between")) {
            InterruptReport.disarm();
        }
        System.out.println("stopping");
        System.exit(130);
    }

    @Test
    void aStopWhileAChangesetRunsNamesItInOneLine() throws Exception {
        List<String> lines = child("during");

        assertThat(lines).filteredOn(line -> line.startsWith("Interrupted")).containsExactly("Interrupted while changeset"
                + " db/changelog/changes/20260101000000_add_index.yaml::20260101000000_add_index::keel ran: PostgreSQL rolls it back,"
                + " and the changesets before it stay applied. Run the update again to go on.");
    }

    @Test
    void aStopBetweenChangesetsSaysNothing() throws Exception {
        assertThat(child("between")).noneMatch(line -> line.startsWith("Interrupted")).contains("stopping");
    }

    @Test
    void aChangesetOutsideATransactionOrARollbackSaysWhatMayBeLeft() {
        assertThat(InterruptReport.message("c::1::a", false, false)).contains("runInTransaction: false").contains("check what it left");
        assertThat(InterruptReport.message("c::1::a", true, true)).contains("rollback of changeset c::1::a").contains("liquibase:history");
        assertThat(InterruptReport.message("c::1::a", false, true)).contains("runInTransaction: false").contains("may have been applied in part");
    }

    private static List<String> child(String mode) throws Exception {
        Process process = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-cp",
                System.getProperty("java.class.path"), InterruptReportTest.class.getName(), mode).redirectErrorStream(true).start();
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(process.waitFor(30, TimeUnit.SECONDS)).isTrue();
        return output.lines().filter(line -> !line.isBlank()).toList();
    }
}
