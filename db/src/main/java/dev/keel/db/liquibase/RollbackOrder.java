package dev.keel.db.liquibase;

import java.util.List;
import liquibase.Scope;
import liquibase.changelog.ChangeLogHistoryServiceFactory;
import liquibase.changelog.ChangeSet;
import liquibase.changelog.DatabaseChangeLog;
import liquibase.changelog.RanChangeSet;
import liquibase.database.Database;
import liquibase.exception.DatabaseException;
import liquibase.exception.UnexpectedLiquibaseException;

/**
 * A rollback goes back through the changesets in the order the database applied them. Liquibase skips one that the
 * rollback's contexts or labels leave out and rolls back the ones before it, so a rollback by count on a development
 * database updated with {@code -Dliquibase.contexts=dev} could undo an older changeset and leave the newer one applied,
 * out of order and without a word. This refuses before such a changeset's rollback runs.
 */
final class RollbackOrder {

    private RollbackOrder() {
    }

    /** Throws, naming both and what to do, when a changeset the changelog has was applied after {@code changeSet} and stays applied. */
    static void refuseSkipping(ChangeSet changeSet, DatabaseChangeLog changeLog, Database database) {
        List<RanChangeSet> ran;
        try {
            ran = Scope.getCurrentScope().getSingleton(ChangeLogHistoryServiceFactory.class).getChangeLogService(database).getRanChangeSets();
        } catch (DatabaseException e) {
            return; // the rollback reads the same history and reports its own failure
        }
        RanChangeSet self = ran.stream().filter(one -> one.isSameAs(changeSet)).findFirst().orElse(null);
        if (self == null || self.getOrderExecuted() == null || changeLog == null) {
            return;
        }
        for (RanChangeSet later : ran) {
            if (later.getOrderExecuted() == null || later.getOrderExecuted() <= self.getOrderExecuted()
                    || changeLog.getChangeSets().stream().noneMatch(later::isSameAs)) {
                continue; // one the changelog no longer has is named by status and update
            }
            String recorded = later.getContextExpression() == null || later.getContextExpression().isEmpty() ? ""
                    : " (it was applied with contexts " + later.getContextExpression() + ")";
            throw new UnexpectedLiquibaseException("Rolling back " + changeSet.toString(false) + " would leave "
                    + later.getChangeLog() + "::" + later.getId() + "::" + later.getAuthor() + ", which this database applied after it, applied: this"
                    + " rollback's contexts or labels leave that one out" + recorded + ". Roll back with the contexts and labels it was applied"
                    + " with (-Dliquibase.contexts=… or LIQUIBASE_COMMAND_CONTEXTS, -Dliquibase.labelFilter=…), so that it is rolled back first");
        }
    }
}
