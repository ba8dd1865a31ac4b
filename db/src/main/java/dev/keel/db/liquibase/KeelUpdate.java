package dev.keel.db.liquibase;

import java.sql.SQLException;
import java.util.List;
import java.util.Map;
import liquibase.Scope;
import liquibase.changelog.ChangeSet;
import liquibase.changelog.visitor.ChangeExecListener;
import liquibase.changelog.visitor.DefaultChangeExecListener;
import liquibase.changelog.ChangeLogHistoryServiceFactory;
import liquibase.command.CommandOverride;
import liquibase.command.CommandResultsBuilder;
import liquibase.command.core.UpdateCommandStep;
import liquibase.database.Database;
import liquibase.exception.CommandExecutionException;
import liquibase.exception.MigrationFailedException;
import liquibase.exception.PreconditionFailedException;
import liquibase.precondition.FailedPrecondition;
import liquibase.logging.LogService;

/**
 * Liquibase's {@code update} as Keel runs it (Liquibase allows one override of a step, so both live here):
 * <ul>
 * <li>it refuses, before anything runs, when a pending changeset comes before one the database already applied
 * ({@link OutOfOrder}), unless {@value OutOfOrder#ALLOW_FLAG} allows it;</li>
 * <li>it tries again when a changeset that runs in a transaction gave up on {@code lock_timeout}: that changeset was
 * rolled back whole and every
 * one before it is committed, so a new run of the update starts at that changeset. It does so up to DB_LOCK_RETRIES
 * times, with the waits of {@link LockRetries}; {@link LockWaitReport} prints one line per attempt and names the
 * blocking session on the last.</li>
 * </ul>
 * The goals, the migration jar and in-process runs all get it.
 */
@CommandOverride(override = UpdateCommandStep.class)
public final class KeelUpdate extends UpdateCommandStep {

    @Override
    public void run(CommandResultsBuilder resultsBuilder) throws Exception {
        OutOfOrder.refuseOrWarn(resultsBuilder.getCommandScope(), "Applying it now would run it after a changeset written later."
                + " Nothing was applied.", "Applied anyway");
        OutOfOrder.refuseRenamed(resultsBuilder.getCommandScope(), "Nothing was applied.");
        OutOfOrder.unknown(resultsBuilder.getCommandScope()).forEach(line -> Scope.getCurrentScope().getUI().sendMessage("WARNING " + line));
        LockRetries retries = LockRetries.fromSettings();
        for (int number = 1; ; number++) {
            LockRetries.Attempt attempt = retries.attempt(number);
            try {
                LogService log = Scope.getCurrentScope().get(Scope.Attr.logService, LogService.class);
                Scope.child(Map.of(LockRetries.ATTEMPT, attempt, Scope.Attr.logService.name(), new OneLineFailures(log)),
                        () -> KeelUpdate.super.run(resultsBuilder));
                return;
            } catch (Exception e) {
                if (!attempt.retryFollows() || !LockRetries.lockTimedOut(e) || !failedInTransaction(resultsBuilder)) {
                    throw readable(e, resultsBuilder);
                }
            } finally {
                InterruptReport.disarm(); // a failure Liquibase reports to no listener leaves it armed
            }
            // The run released the changelog lock on its way out; the next one takes it again and reads the history afresh.
            setDBLock(false);
            Database database = (Database) resultsBuilder.getCommandScope().getDependency(Database.class);
            Scope.getCurrentScope().getSingleton(ChangeLogHistoryServiceFactory.class).getChangeLogService(database).reset();
            Thread.sleep(attempt.delayMs());
        }
    }

    /**
     * A changeset's failure as its name, PostgreSQL's error and what to do, instead of Liquibase's chain of exception
     * class names. Any other failure as it is.
     */
    private static Exception readable(Exception e, CommandResultsBuilder resultsBuilder) {
        Throwable failed = e;
        while (failed != null && !(failed instanceof MigrationFailedException)) {
            failed = failed.getCause();
        }
        if (failed == null) {
            return e;
        }
        if (InterruptReport.shuttingDown()) {
            // Stopping Keel's development database on the way out failed the changeset; the user stopped the update.
            return new CommandExecutionException("Interrupted (Ctrl-C or SIGTERM); the line that starts 'Interrupted while' says what"
                    + " became of the changeset.");
        }
        Throwable reason = failed.getCause() == null ? failed : failed.getCause();
        ChangeSet changeSet = lastFailed(resultsBuilder);
        if (reason instanceof PreconditionFailedException preconditions) {
            return new CommandExecutionException("Changeset " + (changeSet == null ? "" : changeSet.toString(false) + " ")
                    + "failed its preconditions: " + preconditions.getFailedPreconditions().stream().map(FailedPrecondition::getMessage)
                    .collect(java.util.stream.Collectors.joining("; ")) + System.lineSeparator()
                    + "Nothing of it ran, and the changesets before it stay applied. Make its preconditions hold, or say in onFail what"
                    + " to do when they do not (MARK_RAN, CONTINUE or WARN), then run the update again.");
        }
        String advice = LockRetries.lockTimedOut(e) ? "What it waited for, and what to do, is on the line above."
                : changeSet != null && !changeSet.isRunInTransaction()
                ? "It has runInTransaction: false, so its statements before the failing one may have been applied: check what it"
                        + " left, fix the changeset, then run the update again."
                : "It was rolled back, and the changesets before it stay applied. Fix it, then run the update again.";
        return new CommandExecutionException("Changeset " + (changeSet == null ? "" : changeSet.toString(false) + " ") + "failed: "
                + message(reason) + System.lineSeparator() + advice);
    }

    /**
     * The error's message, or, where it is PostgreSQL's "current transaction is aborted", the error that aborted the
     * transaction: a {@code loadData} batch runs its rows on after the first one fails, and the last error hides the
     * first.
     */
    private static String message(Throwable reason) {
        for (Throwable t = reason; t != null && t.getCause() != t; t = t.getCause()) {
            if (t instanceof SQLException aborted && "25P02".equals(aborted.getSQLState()) && t.getCause() instanceof SQLException first) {
                return first.getMessage();
            }
        }
        return reason.getMessage() == null ? reason.toString() : reason.getMessage();
    }

    private static ChangeSet lastFailed(CommandResultsBuilder resultsBuilder) {
        Object listener = resultsBuilder.getCommandScope().getDependency(ChangeExecListener.class);
        if (!(listener instanceof DefaultChangeExecListener recorded) || recorded.getFailedChangeSets().isEmpty()) {
            return null;
        }
        List<ChangeSet> failed = recorded.getFailedChangeSets();
        return failed.get(failed.size() - 1);
    }

    /**
     * Whether the changeset that failed ran in one transaction, so nothing of it stayed. One with runInTransaction: false
     * may have applied its first statements, and running it again could apply them twice.
     */
    private static boolean failedInTransaction(CommandResultsBuilder resultsBuilder) {
        ChangeSet failed = lastFailed(resultsBuilder);
        return failed != null && failed.isRunInTransaction();
    }
}
