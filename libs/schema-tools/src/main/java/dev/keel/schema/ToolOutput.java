package dev.keel.schema;

import dev.keel.testdb.TestPostgres;

/**
 * How a tool ends: its result on standard output, or one short message on standard error and exit status 1,
 * never a stack trace. Liquibase's analytics and console chatter are off for every tool. Each tool has
 * {@code public static int run()}: its {@code main} exits with what it returns, and the tools' warm JVM calls it for
 * a request (see {@link dev.keel.schema.daemon.ToolDaemon}).
 */
public final class ToolOutput {

    /** A tool's work. */
    @FunctionalInterface
    public interface Work {
        void run() throws Exception;
    }

    /** The tool refuses, for a reason the user can fix; the message says how. */
    public static final class Refused extends RuntimeException {
        public Refused(String message) {
            super(message);
        }
    }

    /** Liquibase logs a failed changeset with its stack trace; a tool reports the cause itself, in one line. */
    private static final java.util.logging.Logger LIQUIBASE_LOG = java.util.logging.Logger.getLogger("liquibase");

    private ToolOutput() {
    }

    /** Runs a tool's work and returns its exit status: 0, or 1 after printing why on standard error. */
    public static int status(Work work) {
        LIQUIBASE_LOG.setLevel(java.util.logging.Level.OFF);
        int status = 0;
        try {
            work.run();
        } catch (Refused e) {
            System.err.println(e.getMessage());
            status = 1;
        } catch (Exception | LinkageError e) {
            System.err.println("Failed: " + TestPostgres.rootMessage(e));
            status = 1;
        }
        System.out.flush();
        return status;
    }
}
