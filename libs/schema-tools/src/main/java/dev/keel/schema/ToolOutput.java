package dev.keel.schema;

import dev.keel.db.liquibase.ChangelogParseFailures;
import dev.keel.db.liquibase.InterruptReport;
import dev.keel.testdb.TestPostgres;
import liquibase.exception.ChangeLogParseException;

/**
 * How a tool ends: its result on standard output, or one short message that the keel:* goal reports as its failure,
 * never a stack trace. Liquibase's console chatter is off for every tool.
 */
public final class ToolOutput {

    /** A tool's work. */
    @FunctionalInterface
    public interface Work {
        void run() throws Exception;
    }

    /** The tool refuses, for a reason the user can fix; the message says how. */
    public static class Refused extends RuntimeException {
        public Refused(String message) {
            super(message);
        }
    }

    /** Liquibase logs a failed changeset with its stack trace; a tool reports the cause itself, in one line. */
    private static final java.util.logging.Logger LIQUIBASE_LOG = java.util.logging.Logger.getLogger("liquibase");

    static final String INTERRUPTED = "Interrupted. Any file the tool writes is written whole or not at all, so none is half-written.";

    private ToolOutput() {
    }

    /** Which changelog file cannot be parsed, and why, in one line; null when {@code e} is no such failure. */
    static String unparsable(Throwable e) {
        for (Throwable cause = e; cause != null; cause = cause.getCause()) {
            if (cause instanceof ChangeLogParseException broken) {
                return ChangelogParseFailures.describe(broken);
            }
        }
        return null;
    }

    /** Runs a tool's work; null when it succeeded, else why it refused or failed. */
    public static String refusal(Work work) {
        LIQUIBASE_LOG.setLevel(java.util.logging.Level.OFF);
        try {
            work.run();
            return null;
        } catch (Exception | LinkageError e) {
            if (InterruptReport.shuttingDown()) {
                // Ctrl-C: the JVM is stopping, and a shutdown hook has stopped the embedded server the work was using,
                // so the work fails or refuses for a reason that is not the user's.
                return INTERRUPTED;
            }
            if (e instanceof Refused) {
                return e.getMessage();
            }
            for (Throwable cause = e; cause != null; cause = cause.getCause()) {
                if (cause instanceof TestPostgres.NoServer || cause instanceof Refused) {
                    return cause.getMessage();
                }
            }
            String unparsable = unparsable(e);
            if (unparsable != null) {
                return "The changelog cannot be read: " + unparsable + System.lineSeparator()
                        + "Fix that file, then run the command again. Nothing was written.";
            }
            return "Failed: " + TestPostgres.rootMessage(e);
        } finally {
            System.out.flush();
        }
    }
}
