package dev.keel.backend.migrations;

import java.util.stream.Collectors;
import org.springframework.boot.diagnostics.AbstractFailureAnalyzer;
import org.springframework.boot.diagnostics.FailureAnalysis;

/** Turns a refused start into Boot's short "APPLICATION FAILED TO START" report, with the fix. */
class PendingMigrationsFailureAnalyzer extends AbstractFailureAnalyzer<PendingMigrationsException> {

    @Override
    protected FailureAnalysis analyze(Throwable rootFailure, PendingMigrationsException cause) {
        String pending = cause.pending().stream().map(id -> "    " + id).collect(Collectors.joining(System.lineSeparator()));
        return new FailureAnalysis(
                "The database is behind the changelog; the service never migrates it. Pending changesets:"
                        + System.lineSeparator() + pending,
                "Apply them with: " + PendingMigrationsCheck.APPLY_COMMAND
                        + System.lineSeparator() + "For local work only, start anyway with --keel.migrations.on-pending=warn.",
                cause);
    }
}
