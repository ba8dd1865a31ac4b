package dev.keel.backend.migrations;

/** The service cannot read the database's migration history: it is down, unreachable, or refuses the role. */
public class DatabaseUnusableException extends RuntimeException {

    public DatabaseUnusableException(String target, Throwable cause) {
        super("Cannot read the migration history of " + target + ": " + rootMessage(cause), cause);
    }

    private static String rootMessage(Throwable failure) {
        Throwable root = failure;
        while (root.getCause() != null && root.getCause() != root) {
            root = root.getCause();
        }
        return String.valueOf(root.getMessage()).lines().findFirst().orElse("");
    }
}
