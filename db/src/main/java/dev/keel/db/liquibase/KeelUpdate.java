package dev.keel.db.liquibase;

import java.util.List;
import java.util.Map;
import liquibase.Scope;
import liquibase.changelog.ChangeLogHistoryServiceFactory;
import liquibase.command.CommandOverride;
import liquibase.command.CommandResultsBuilder;
import liquibase.command.core.UpdateCommandStep;
import liquibase.database.Database;
import liquibase.exception.CommandExecutionException;

/**
 * Liquibase's {@code update} as Keel runs it (Liquibase allows one override of a step, so both live here):
 * <ul>
 * <li>it refuses, before anything runs, when a pending changeset comes before one the database already applied
 * ({@link OutOfOrder}), unless {@value OutOfOrder#ALLOW_FLAG} allows it;</li>
 * <li>it tries again when a changeset gave up on {@code lock_timeout}: that changeset was rolled back whole and every
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
        List<String> findings = OutOfOrder.findings(resultsBuilder.getCommandScope());
        if (!findings.isEmpty()) {
            String found = "Out of order: " + String.join("; ", findings) + ".";
            if (!OutOfOrder.allowed()) {
                throw new CommandExecutionException(found + " Applying it now would run it after a changeset written later."
                        + " Nothing was applied. To apply it anyway, add " + OutOfOrder.ALLOW_FLAG + ".");
            }
            Scope.getCurrentScope().getUI().sendMessage("WARNING " + found + " Applied anyway, as " + OutOfOrder.ALLOW_FLAG + " allows.");
        }
        LockRetries retries = LockRetries.fromSettings();
        for (int number = 1; ; number++) {
            LockRetries.Attempt attempt = retries.attempt(number);
            try {
                Scope.child(Map.of(LockRetries.ATTEMPT, attempt), () -> KeelUpdate.super.run(resultsBuilder));
                return;
            } catch (Exception e) {
                if (!attempt.retryFollows() || !LockRetries.lockTimedOut(e)) {
                    throw e;
                }
            }
            // The run released the changelog lock on its way out; the next one takes it again and reads the history afresh.
            setDBLock(false);
            Database database = (Database) resultsBuilder.getCommandScope().getDependency(Database.class);
            Scope.getCurrentScope().getSingleton(ChangeLogHistoryServiceFactory.class).getChangeLogService(database).reset();
            Thread.sleep(attempt.delayMs());
        }
    }
}
