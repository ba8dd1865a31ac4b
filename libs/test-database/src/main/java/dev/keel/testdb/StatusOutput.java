package dev.keel.testdb;

import java.util.List;
import java.util.regex.Pattern;

/**
 * What {@code liquibase:status} (or the migration jar's {@code status}) lists as not applied, each changeset as
 * {@code file::id::author}. After an update it lists only changesets that run always or on change, which a team's
 * changelog may hold, so a test compares it with the history rather than expecting "is up to date".
 */
public final class StatusOutput {

    // Indented on its own line, unlike the warnings; an author, an id and even a file name may hold blanks or a colon.
    private static final Pattern LISTED = Pattern.compile("(?m)^(?:\\[INFO] )?[ \\t]+(\\S.*?::.*?::.*?)[ \\t]*$");

    // Status's own lines for a changeset it lists that update may never record (see OutOfOrder.neverRecorded).
    private static final Pattern NEVER_RECORDED = Pattern.compile(
            "(?m)(?:For other databases only|May stay pending): (\\S.*?::.*?::.*?) (?:has changes for other|continues past)");

    private StatusOutput() {
    }

    public static List<String> listed(String output) {
        return LISTED.matcher(output).results().map(match -> match.group(1)).toList();
    }

    /** What status lists that an update would record: {@link #listed}, less what status says update may never record. */
    public static List<String> awaitingUpdate(String output) {
        List<String> neverRecorded = NEVER_RECORDED.matcher(output).results().map(match -> match.group(1)).toList();
        return listed(output).stream().filter(changeset -> !neverRecorded.contains(changeset)).toList();
    }
}
