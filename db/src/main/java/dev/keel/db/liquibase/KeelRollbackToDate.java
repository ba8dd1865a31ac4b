package dev.keel.db.liquibase;

import liquibase.command.CommandOverride;
import liquibase.command.CommandResultsBuilder;
import liquibase.command.core.RollbackToDateCommandStep;

/** Liquibase's rollback to a date, whose failure reads as {@link RollbackFailures} puts it. */
@CommandOverride(override = RollbackToDateCommandStep.class)
public final class KeelRollbackToDate extends RollbackToDateCommandStep {

    @Override
    public void run(CommandResultsBuilder resultsBuilder) throws Exception {
        RollbackFailures.readably(resultsBuilder, () -> super.run(resultsBuilder));
    }
}
