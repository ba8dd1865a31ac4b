package dev.keel.db.liquibase;

import java.util.List;
import liquibase.Scope;
import liquibase.change.Change;
import liquibase.changelog.ChangeSet;
import liquibase.changelog.visitor.ChangeExecListener;
import liquibase.changelog.visitor.DefaultChangeExecListener;
import liquibase.command.CommandResultsBuilder;
import liquibase.database.Database;
import liquibase.exception.CommandExecutionException;
import liquibase.exception.RollbackImpossibleException;

/**
 * A failed {@code rollback}, {@code rollbackCount} or {@code rollbackToDate} as the changeset, the reason and what to do,
 * instead of Liquibase's chain of exception class names. The goals and the migration jar share the three overrides.
 */
final class RollbackFailures {

    private RollbackFailures() {
    }

    interface Step {
        void run() throws Exception;
    }

    static void readably(CommandResultsBuilder resultsBuilder, Step step) throws Exception {
        try {
            step.run();
        } catch (Exception e) {
            throw readable(e, resultsBuilder);
        }
    }

    private static CommandExecutionException readable(Exception e, CommandResultsBuilder resultsBuilder) {
        Object listener = resultsBuilder.getCommandScope().getDependency(ChangeExecListener.class);
        List<ChangeSet> failed = listener instanceof DefaultChangeExecListener recorded ? recorded.getFailedRollbackChangeSets() : List.of();
        int rolledBack = listener instanceof DefaultChangeExecListener recorded ? recorded.getRolledBackChangeSets().size() : 0;
        String separator = System.lineSeparator();
        if (failed.isEmpty()) {
            // Nothing was tried: the request itself failed, such as a tag the database does not have.
            return new CommandExecutionException(innermostMessage(e) + ". Nothing was rolled back." + separator
                    + "liquibase:history (history in the migration jar) lists the applied changesets with their tags.");
        }
        ChangeSet changeSet = failed.get(failed.size() - 1);
        String stays = (rolledBack == 0 ? "Nothing was rolled back" : "The " + rolledBack + " changeset(s) after it were rolled back")
                + "; it and the changesets before it stay applied.";
        if (causedBy(e, RollbackImpossibleException.class)) {
            return new CommandExecutionException("Changeset " + changeSet.toString(false) + " cannot be rolled back: its "
                    + withoutRollback(changeSet) + " has no automatic rollback. " + stays + separator
                    + "Add a rollback: block to the changeset (that does not change its checksum), then run the rollback again.");
        }
        return new CommandExecutionException("Changeset " + changeSet.toString(false) + " could not be rolled back: "
                + innermostMessage(e) + ". " + stays + separator + "Fix its rollback: block, then run the rollback again.");
    }

    /** The first change of the changeset that Liquibase cannot undo by itself, by its changelog name, such as "sql". */
    private static String withoutRollback(ChangeSet changeSet) {
        Database database = Scope.getCurrentScope().getDatabase();
        return changeSet.getChanges().stream()
                .filter(change -> database == null || !change.supportsRollback(database))
                .map(Change::getSerializedObjectName)
                .findFirst().orElse("change");
    }

    private static boolean causedBy(Throwable e, Class<? extends Throwable> type) {
        for (Throwable cause = e; cause != null; cause = cause.getCause() == cause ? null : cause.getCause()) {
            if (type.isInstance(cause)) {
                return true;
            }
        }
        return false;
    }

    private static String innermostMessage(Throwable e) {
        Throwable root = e;
        while (root.getCause() != null && root.getCause() != root) {
            root = root.getCause();
        }
        // PostgreSQL's error is its first line; the lines after it give the statement's position.
        String message = root.getMessage() == null ? root.toString() : root.getMessage().strip().lines().findFirst().orElse("");
        return message.endsWith(".") ? message.substring(0, message.length() - 1) : message;
    }
}
