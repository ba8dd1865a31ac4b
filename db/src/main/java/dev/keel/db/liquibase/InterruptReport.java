package dev.keel.db.liquibase;

import java.io.FileDescriptor;
import java.io.FileOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import liquibase.changelog.ChangeSet;

/**
 * What a Ctrl-C (or a deploy job's SIGTERM) did to the changeset that was running: one line, printed by a shutdown
 * hook that is registered only while a changeset runs or rolls back. Without it an update stopped on a server of its
 * own printed nothing, and one on Keel's development database, which the shutdown stops under it, printed the
 * changeset as failed ("Fix it"). On that database {@link DevelopmentDatabase} ends the goal's output before it stops
 * the server, so the failures of the connection the stop takes away are not printed after this line.
 */
public final class InterruptReport {

    private static Thread armed;

    private InterruptReport() {
    }

    /** From now until {@link #disarm()}, a shutdown reports {@code changeSet} as interrupted. */
    static synchronized void arm(ChangeSet changeSet, boolean rollingBack) {
        disarm();
        String line = message(changeSet.toString(false), changeSet.isRunInTransaction(), rollingBack);
        Thread hook = new Thread(() -> {
            // Straight to the terminal: Maven wraps System.err in streams of its own, which a shutdown may be closing.
            PrintStream err = new PrintStream(new FileOutputStream(FileDescriptor.err), true, StandardCharsets.UTF_8);
            err.print(line + System.lineSeparator());
            err.flush();
        }, "keel-interrupt-report");
        try {
            Runtime.getRuntime().addShutdownHook(hook);
            armed = hook;
        } catch (IllegalStateException shuttingDown) {
            // Already stopping: the changeset will not get far, and a hook can no longer be added.
        }
    }

    static synchronized void disarm() {
        if (armed == null) {
            return;
        }
        try {
            Runtime.getRuntime().removeShutdownHook(armed);
        } catch (IllegalStateException shuttingDown) {
            // The hook is running or has run.
        }
        armed = null;
    }

    /** Whether a changeset runs or rolls back, so that a shutdown now interrupts it. */
    static synchronized boolean armed() {
        return armed != null;
    }

    /** Whether the JVM is stopping, as on a Ctrl-C (a hook can then no longer be added); the tools ask it too. */
    public static boolean shuttingDown() {
        Thread probe = new Thread(() -> { });
        try {
            Runtime.getRuntime().addShutdownHook(probe);
            Runtime.getRuntime().removeShutdownHook(probe);
            return false;
        } catch (IllegalStateException e) {
            return true;
        }
    }

    static String message(String changeSet, boolean inTransaction, boolean rollingBack) {
        if (rollingBack && !inTransaction) {
            return "Interrupted while the rollback of changeset " + changeSet + " ran. The changeset has runInTransaction: false, so"
                    + " its rollback may have been applied in part: check what it left, then run the rollback again.";
        }
        if (rollingBack) {
            return "Interrupted while the rollback of changeset " + changeSet + " ran: PostgreSQL undoes it, so that changeset stays"
                    + " applied, and those rolled back before it stay rolled back. liquibase:history lists what is applied; run the"
                    + " rollback again if you still need it.";
        }
        if (!inTransaction) {
            return "Interrupted while changeset " + changeSet + " ran. It has runInTransaction: false, so its statements before the"
                    + " interrupted one may have been applied: check what it left, then run the update again.";
        }
        return "Interrupted while changeset " + changeSet + " ran: PostgreSQL rolls it back, and the changesets before it stay"
                + " applied. Run the update again to go on.";
    }
}
