package dev.keel.db.liquibase;

import com.github.blagerweij.sessionlock.PGLockService;
import liquibase.Scope;
import liquibase.command.CommandOverride;
import liquibase.command.CommandResultsBuilder;
import liquibase.command.core.ReleaseLocksCommandStep;

/**
 * liquibase-sessionlock's advisory lock, with a {@code releaseLocks} that explains instead of failing: the lock
 * belongs to the database session that took it and ends with it, even after {@code kill -9}, so there is never a
 * lock left to release (the library's own version fails with "pg_advisory_unlock() returned false").
 */
public final class SessionLocks extends PGLockService {

    static final String NOTHING_TO_RELEASE = "Keel's changelog lock is a PostgreSQL session-level advisory lock: it ends with the"
            + " session that holds it, even when that process is killed, so nothing needs releasing.";

    @Override
    public int getPriority() {
        return super.getPriority() + 1;
    }

    /** Says why nothing needs releasing; a command that holds the lock itself (dropAll) releases it at its end. */
    @Override
    public void forceReleaseLock() {
        if (!hasChangeLogLock()) {
            Scope.getCurrentScope().getUI().sendMessage(NOTHING_TO_RELEASE);
        }
    }

    /** {@code releaseLocks} says why nothing needs releasing, without Liquibase's "Successfully released" after it. */
    @CommandOverride(override = ReleaseLocksCommandStep.class)
    public static final class NothingToRelease extends ReleaseLocksCommandStep {

        @Override
        public void run(CommandResultsBuilder resultsBuilder) {
            Scope.getCurrentScope().getUI().sendMessage(NOTHING_TO_RELEASE);
        }
    }
}
