package dev.keel.db.liquibase;

import liquibase.command.CommandOverride;
import liquibase.command.CommandResultsBuilder;
import liquibase.command.core.RollbackCommandStep;

/** Liquibase's rollback to a tag, whose failure reads as {@link RollbackFailures} puts it. */
@CommandOverride(override = RollbackCommandStep.class)
public final class KeelRollback extends RollbackCommandStep {

    @Override
    public void run(CommandResultsBuilder resultsBuilder) throws Exception {
        RollbackFailures.readably(resultsBuilder, () -> super.run(resultsBuilder));
    }
}
