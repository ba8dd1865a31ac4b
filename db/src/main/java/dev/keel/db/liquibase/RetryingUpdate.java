package dev.keel.db.liquibase;

import java.util.Map;
import liquibase.Scope;
import liquibase.changelog.ChangeLogHistoryServiceFactory;
import liquibase.command.CommandOverride;
import liquibase.command.CommandResultsBuilder;
import liquibase.command.core.UpdateCommandStep;
import liquibase.database.Database;

/**
 * Liquibase's {@code update}, which tries again when a changeset gave up on {@code lock_timeout}: that changeset was
 * rolled back whole, every one before it is committed, so a new run of the update starts at that changeset. It does
 * so up to DB_LOCK_RETRIES times, with the waits of {@link LockRetries}; {@link LockWaitReport} prints one line per
 * attempt and names the blocking session on the last. The goals, the migration jar and in-process runs all get it.
 */
@CommandOverride(override = UpdateCommandStep.class)
public class RetryingUpdate extends UpdateCommandStep {

    @Override
    public void run(CommandResultsBuilder resultsBuilder) throws Exception {
        LockRetries retries = LockRetries.fromSettings();
        for (int number = 1; ; number++) {
            LockRetries.Attempt attempt = retries.attempt(number);
            try {
                Scope.child(Map.of(LockRetries.ATTEMPT, attempt), () -> RetryingUpdate.super.run(resultsBuilder));
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
