package dev.keel.schema;

import dev.keel.testdb.TestPostgres;

/**
 * How a tool ends: its result on standard output, or one short message on standard error and exit code 1,
 * never a stack trace. Liquibase's analytics and console chatter are off for every tool.
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

    private ToolOutput() {
    }

    public static void run(Work work) {
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
        System.exit(status);
    }
}
