package dev.keel.db.liquibase;

import java.util.List;
import liquibase.Scope;
import liquibase.command.CommandOverride;
import liquibase.command.CommandResultsBuilder;
import liquibase.command.core.UpdateCommandStep;
import liquibase.exception.CommandExecutionException;

/** Liquibase's {@code update}, refusing before anything runs when a pending changeset comes before an applied one. */
@CommandOverride(override = UpdateCommandStep.class)
public final class OrderedUpdate extends UpdateCommandStep {

    @Override
    public void run(CommandResultsBuilder resultsBuilder) throws Exception {
        List<String> findings = OutOfOrder.findings(resultsBuilder.getCommandScope());
        if (!findings.isEmpty()) {
            String found = "Out of order: " + String.join("; ", findings) + ".";
            if (!OutOfOrder.allowed()) {
                throw new CommandExecutionException(found + " Applying it now would run it after a changeset written later."
                        + " Nothing was applied. To apply it anyway, add " + OutOfOrder.ALLOW_FLAG + ".");
            }
            Scope.getCurrentScope().getUI().sendMessage("WARNING " + found + " Applied anyway, as " + OutOfOrder.ALLOW_FLAG + " allows.");
        }
        super.run(resultsBuilder);
    }
}
