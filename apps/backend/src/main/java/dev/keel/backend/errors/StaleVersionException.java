package dev.keel.backend.errors;

/** An update names a version of the row that is no longer the current one; answered with 412. */
public class StaleVersionException extends RuntimeException {

    public StaleVersionException(long expected, long current) {
        super("The resource has changed since version " + expected + "; it is now at version " + current + ". Read it again.");
    }

    /** Optimistic locking over HTTP: the version the client read must still be the row's version. */
    public static void requireCurrent(long expected, long current) {
        if (expected != current) {
            throw new StaleVersionException(expected, current);
        }
    }
}
