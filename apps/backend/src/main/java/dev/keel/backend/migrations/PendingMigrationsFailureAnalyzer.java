package dev.keel.backend.migrations;

import java.util.ArrayList;
import java.util.List;
import java.util.stream.Collectors;
import org.springframework.boot.diagnostics.AbstractFailureAnalyzer;
import org.springframework.boot.diagnostics.FailureAnalysis;

/** Turns a refused start into Boot's short "APPLICATION FAILED TO START" report, with the fix. */
class PendingMigrationsFailureAnalyzer extends AbstractFailureAnalyzer<PendingMigrationsException> {

    @Override
    protected FailureAnalysis analyze(Throwable rootFailure, PendingMigrationsException cause) {
        List<String> description = new ArrayList<>();
        List<String> action = new ArrayList<>();
        if (!cause.pending().isEmpty()) {
            description.add("The database is behind the changelog; the service never migrates it. Pending changesets:"
                    + System.lineSeparator() + indented(cause.pending()));
            action.add("Apply them with: " + PendingMigrationsCheck.APPLY_COMMAND);
        }
        if (!cause.unknown().isEmpty()) {
            description.add("The database applied changesets that this changelog lacks (a newer version of the service migrated it):"
                    + System.lineSeparator() + indented(cause.unknown()));
            action.add("Run the version of the service whose changelog has them, or roll them back with that version's changelog.");
        }
        action.add("For local work only, start anyway with --keel.migrations.on-pending=warn.");
        return new FailureAnalysis(String.join(System.lineSeparator(), description), String.join(System.lineSeparator(), action), cause);
    }

    private static String indented(List<Changelog.Id> ids) {
        return ids.stream().map(id -> "    " + id).collect(Collectors.joining(System.lineSeparator()));
    }
}
