package dev.keel.backend.migrations;

import org.springframework.boot.diagnostics.AbstractFailureAnalyzer;
import org.springframework.boot.diagnostics.FailureAnalysis;

/** Database down, wrong password, missing grants: one short report with the fix, not a stack trace. */
class DatabaseUnusableFailureAnalyzer extends AbstractFailureAnalyzer<DatabaseUnusableException> {

    @Override
    protected FailureAnalysis analyze(Throwable rootFailure, DatabaseUnusableException cause) {
        return new FailureAnalysis(cause.getMessage(),
                "Start PostgreSQL, or fix DB_HOST, DB_PORT, DB_NAME, DB_APP_USERNAME or DB_APP_PASSWORD in the environment or .env."
                        + System.lineSeparator() + "If the database is new or behind, apply the changelog (it also grants the service's role): "
                        + PendingMigrationsCheck.APPLY_COMMAND,
                cause);
    }
}
