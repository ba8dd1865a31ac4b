package dev.keel.db.liquibase;

import liquibase.command.CommandOverride;
import liquibase.command.CommandResultsBuilder;
import liquibase.command.core.UpdateSqlCommandStep;

/**
 * Liquibase's {@code updateSQL} as Keel runs it: it refuses, as {@link KeelUpdate} does, when a pending changeset comes
 * before one the database already applied or was applied under another name, since the SQL it writes is what update
 * would then refuse to run.
 */
@CommandOverride(override = UpdateSqlCommandStep.class)
public final class KeelUpdateSql extends UpdateSqlCommandStep {

    @Override
    public void run(CommandResultsBuilder resultsBuilder) throws Exception {
        OutOfOrder.refuseOrWarn(resultsBuilder.getCommandScope(), "update refuses it, so no SQL was written for it.", "Written anyway");
        OutOfOrder.refuseRenamed(resultsBuilder.getCommandScope(), "Update refuses it, so no SQL was written.");
        super.run(resultsBuilder);
    }
}
