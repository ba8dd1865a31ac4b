package dev.keel.db.liquibase;

import java.io.OutputStreamWriter;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.util.List;
import liquibase.command.CommandOverride;
import liquibase.command.CommandResultsBuilder;
import liquibase.command.core.StatusCommandStep;

/** Liquibase's {@code status}, followed by a line for each pending changeset that comes before an applied one. */
@CommandOverride(override = StatusCommandStep.class)
public final class OrderedStatus extends StatusCommandStep {

    @Override
    public void run(CommandResultsBuilder resultsBuilder) throws Exception {
        super.run(resultsBuilder);
        List<String> findings = OutOfOrder.findings(resultsBuilder.getCommandScope());
        if (findings.isEmpty()) {
            return;
        }
        Writer output = new OutputStreamWriter(resultsBuilder.getOutputStream(), StandardCharsets.UTF_8);
        for (String finding : findings) {
            output.write("Out of order: " + finding + "; update refuses it unless " + OutOfOrder.ALLOW_FLAG + System.lineSeparator());
        }
        output.flush();
    }
}
