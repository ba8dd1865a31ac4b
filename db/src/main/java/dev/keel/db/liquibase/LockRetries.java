package dev.keel.db.liquibase;

import dev.keel.db.settings.Settings;
import java.sql.SQLException;
import java.util.concurrent.ThreadLocalRandom;

/**
 * How often a changeset that gave up on {@code lock_timeout} is tried again (DB_LOCK_RETRIES), and how long to wait
 * before each new attempt: doubling from one second up to {@value #MAX_DELAY_MS} ms, each wait drawn at random from its
 * upper half, so runs that timed out together do not come back together.
 */
record LockRetries(int retries) {

    /** The Liquibase scope key under which {@link KeelUpdate} tells {@link LockWaitReport} which attempt runs. */
    static final String ATTEMPT = "keel.lockRetryAttempt";

    /** lock_not_available: the statement gave up waiting for a lock. */
    static final String LOCK_NOT_AVAILABLE = "55P03";

    private static final long FIRST_DELAY_MS = 1_000;
    private static final long MAX_DELAY_MS = 30_000;

    static LockRetries fromSettings() {
        return new LockRetries(Settings.load().getInt("DB_LOCK_RETRIES", 0, 100));
    }

    /** Attempt {@code number} (from 1) of {@code retries + 1}, with the wait that follows it if it gives up on a lock. */
    Attempt attempt(int number) {
        long ceiling = Math.min(MAX_DELAY_MS, FIRST_DELAY_MS << Math.min(number - 1, 16));
        return new Attempt(number, retries + 1, ceiling / 2 + ThreadLocalRandom.current().nextLong(ceiling / 2 + 1));
    }

    record Attempt(int number, int of, long delayMs) {

        boolean retryFollows() {
            return number < of;
        }
    }

    static boolean lockTimedOut(Throwable exception) {
        for (Throwable cause = exception; cause != null && cause.getCause() != cause; cause = cause.getCause()) {
            if (cause instanceof SQLException sql && LOCK_NOT_AVAILABLE.equals(sql.getSQLState())) {
                return true;
            }
        }
        return false;
    }
}
