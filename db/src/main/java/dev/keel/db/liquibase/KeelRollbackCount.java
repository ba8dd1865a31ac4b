package dev.keel.db.liquibase;

import liquibase.command.CommandOverride;
import liquibase.command.CommandResultsBuilder;
import liquibase.command.core.RollbackCountCommandStep;

/** Liquibase's rollback by count, whose failure reads as {@link RollbackFailures} puts it. */
@CommandOverride(override = RollbackCountCommandStep.class)
public final class KeelRollbackCount extends RollbackCountCommandStep {

    @Override
    public void run(CommandResultsBuilder resultsBuilder) throws Exception {
        RollbackFailures.readably(resultsBuilder, () -> super.run(resultsBuilder));
    }
}
