package dev.keel.db.liquibase;

import java.io.IOException;
import java.io.OutputStream;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import liquibase.change.Change;
import liquibase.change.core.EmptyChange;
import liquibase.changelog.ChangeSet;
import liquibase.changelog.DatabaseChangeLog;
import liquibase.changelog.visitor.ChangeExecListener;
import liquibase.changelog.visitor.DefaultChangeExecListener;
import liquibase.command.CommandOverride;
import liquibase.command.CommandResultsBuilder;
import liquibase.command.CommandScope;
import liquibase.command.core.RollbackCommandStep;
import liquibase.command.core.RollbackCountCommandStep;
import liquibase.command.core.RollbackCountSqlCommandStep;
import liquibase.command.core.RollbackSqlCommandStep;
import liquibase.command.core.RollbackToDateCommandStep;
import liquibase.command.core.RollbackToDateSqlCommandStep;
import liquibase.database.Database;
import liquibase.exception.CommandExecutionException;
import liquibase.exception.RollbackImpossibleException;

/**
 * A failed rollback, to a tag, by count or to a date, and the SQL previews of the three, as the changeset, the reason
 * and what to do, instead of Liquibase's chain of exception class names. Liquibase takes one override per step, so
 * each step has a nested class of its own; the goals and the migration jar get them all.
 */
public final class RollbackFailures {

    private RollbackFailures() {
    }

    @CommandOverride(override = RollbackCommandStep.class)
    public static final class ToTag extends RollbackCommandStep {
        @Override
        public void run(CommandResultsBuilder resultsBuilder) throws Exception {
            readably(resultsBuilder, false, () -> super.run(resultsBuilder));
        }
    }

    @CommandOverride(override = RollbackCountCommandStep.class)
    public static final class ByCount extends RollbackCountCommandStep {
        @Override
        public void run(CommandResultsBuilder resultsBuilder) throws Exception {
            readably(resultsBuilder, false, () -> super.run(resultsBuilder));
        }
    }

    @CommandOverride(override = RollbackToDateCommandStep.class)
    public static final class ToDate extends RollbackToDateCommandStep {
        @Override
        public void run(CommandResultsBuilder resultsBuilder) throws Exception {
            readably(resultsBuilder, false, () -> super.run(resultsBuilder));
        }
    }

    @CommandOverride(override = RollbackSqlCommandStep.class)
    public static final class ToTagSql extends RollbackSqlCommandStep {
        @Override
        public void run(CommandResultsBuilder resultsBuilder) throws Exception {
            readably(resultsBuilder, true, () -> super.run(resultsBuilder));
        }
    }

    @CommandOverride(override = RollbackCountSqlCommandStep.class)
    public static final class ByCountSql extends RollbackCountSqlCommandStep {
        @Override
        public void run(CommandResultsBuilder resultsBuilder) throws Exception {
            readably(resultsBuilder, true, () -> super.run(resultsBuilder));
        }
    }

    @CommandOverride(override = RollbackToDateSqlCommandStep.class)
    public static final class ToDateSql extends RollbackToDateSqlCommandStep {
        @Override
        public void run(CommandResultsBuilder resultsBuilder) throws Exception {
            readably(resultsBuilder, true, () -> super.run(resultsBuilder));
        }
    }

    private interface Step {
        void run() throws Exception;
    }

    private static void readably(CommandResultsBuilder resultsBuilder, boolean preview, Step step) throws Exception {
        markedRanRollNothingBack(resultsBuilder.getCommandScope());
        try {
            step.run();
        } catch (Exception e) {
            CommandExecutionException readable = readable(e, resultsBuilder, preview);
            if (preview) {
                endPreview(resultsBuilder, readable.getMessage());
            }
            throw readable;
        } finally {
            InterruptReport.disarm(); // a failure Liquibase reports to no listener leaves it armed
        }
    }

    /**
     * Ends a preview that stopped half-way with why, as SQL comments: the file it was written to holds Liquibase's header
     * and what came before the failure, which must not pass for a whole rollback.
     */
    private static void endPreview(CommandResultsBuilder resultsBuilder, String why) {
        StringBuilder comment = new StringBuilder(System.lineSeparator() + "-- INCOMPLETE: the preview stopped here; do not run this file." + System.lineSeparator());
        why.lines().forEach(line -> comment.append("-- ").append(line).append(System.lineSeparator()));
        // Through the writer the preview's SQL went to, which holds some of it until flushed: the note must come last.
        Writer sql = (Writer) resultsBuilder.getCommandScope().getDependency(Writer.class);
        OutputStream output = resultsBuilder.getOutputStream();
        try {
            if (sql != null) {
                sql.write(comment.toString());
                sql.flush();
            } else if (output != null) {
                output.write(comment.toString().getBytes(StandardCharsets.UTF_8));
                output.flush();
            }
        } catch (IOException closed) {
            // The error itself is still reported; only the file lacks the note.
        }
    }

    private static CommandExecutionException readable(Exception e, CommandResultsBuilder resultsBuilder, boolean preview) {
        Object listener = resultsBuilder.getCommandScope().getDependency(ChangeExecListener.class);
        Database database = (Database) resultsBuilder.getCommandScope().getDependency(Database.class);
        List<ChangeSet> failed = listener instanceof DefaultChangeExecListener recorded ? recorded.getFailedRollbackChangeSets() : List.of();
        // A preview runs nothing, though Liquibase reports its changesets as rolled back.
        int rolledBack = !preview && listener instanceof DefaultChangeExecListener recorded ? recorded.getRolledBackChangeSets().size() : 0;
        String separator = System.lineSeparator();
        if (failed.isEmpty()) {
            // No changeset's rollback failed: the request did, such as a tag the database does not have.
            String done = rolledBack == 0 ? "Nothing was rolled back." : "The " + rolledBack + " changeset(s) before the failure were rolled back.";
            return new CommandExecutionException(innermostMessage(e) + ". " + done + separator
                    + "liquibase:history (history in the migration jar) lists the applied changesets with their tags.");
        }
        ChangeSet changeSet = failed.get(failed.size() - 1);
        String again = "then run the " + (preview ? "preview" : "rollback") + " again.";
        String stays = preview ? "The preview stops there; nothing was rolled back."
                : (rolledBack == 0 ? "Nothing was rolled back" : "The " + rolledBack + " changeset(s) after it were rolled back")
                        + "; it and the changesets before it stay applied.";
        if (causedBy(e, RollbackImpossibleException.class)) {
            return new CommandExecutionException("Changeset " + changeSet.toString(false) + " cannot be rolled back: its "
                    + withoutRollback(changeSet, database) + " has no automatic rollback. " + stays + separator
                    + "Add a " + rollbackBlock(changeSet) + " to the changeset (that does not change its checksum), " + again);
        }
        return new CommandExecutionException("Changeset " + changeSet.toString(false) + " could not be rolled back: "
                + innermostMessage(e) + ". " + stays + separator + "Fix its " + rollbackBlock(changeSet) + ", " + again);
    }

    /**
     * A changeset whose precondition marked it ran (onFail or onError: MARK_RAN) ran nothing: what it would have made was
     * there already, made by something else. Liquibase would still run its rollback and drop that; this makes its
     * rollback nothing, so rolling it back only takes it out of the history.
     */
    static void markedRanRollNothingBack(CommandScope scope) throws Exception {
        DatabaseChangeLog changelog = (DatabaseChangeLog) scope.getDependency(DatabaseChangeLog.class);
        Set<String> markedRan = new HashSet<>();
        OutOfOrder.applied(scope).stream().filter(ran -> ran.getExecType() == ChangeSet.ExecType.MARK_RAN)
                .forEach(ran -> markedRan.add(OutOfOrder.key(ran.getChangeLog(), ran.getId(), ran.getAuthor())));
        if (changelog == null || markedRan.isEmpty()) {
            return;
        }
        for (ChangeSet changeSet : changelog.getChangeSets()) {
            if (markedRan.contains(OutOfOrder.key(changeSet))) {
                changeSet.getRollback().getChanges().clear();
                changeSet.addRollbackChange(new EmptyChange());
            }
        }
    }

    /** How the changeset's own format writes a rollback: "rollback: block" in YAML, "--rollback line" in formatted SQL. */
    public static String rollbackBlock(ChangeSet changeSet) {
        return ChangelogFormat.of(changeSet).rollbackBlock();
    }

    /** The first change of the changeset that Liquibase cannot undo by itself, by its changelog name, such as "sql". */
    private static String withoutRollback(ChangeSet changeSet, Database database) {
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

    /** The first line of the innermost message of a chain, where Liquibase and PostgreSQL say what went wrong. */
    static String innermostMessage(Throwable e) {
        Throwable root = e;
        while (root.getCause() != null && root.getCause() != root) {
            root = root.getCause();
        }
        // PostgreSQL's error is its first line; the lines after it give the statement's position.
        String message = root.getMessage() == null ? root.toString() : root.getMessage().strip().lines().findFirst().orElse("");
        return message.endsWith(".") ? message.substring(0, message.length() - 1) : message;
    }
}
