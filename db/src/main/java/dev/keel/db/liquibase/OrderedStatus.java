package dev.keel.db.liquibase;

import java.io.OutputStreamWriter;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.util.List;
import liquibase.command.CommandOverride;
import liquibase.command.CommandResultsBuilder;
import liquibase.command.core.StatusCommandStep;

/**
 * Liquibase's {@code status}, followed by a line for each pending changeset that comes before an applied one, one for
 * each applied changeset the changelog no longer has, and one for each changeset that update may never record.
 */
@CommandOverride(override = StatusCommandStep.class)
public final class OrderedStatus extends StatusCommandStep {

    @Override
    public void run(CommandResultsBuilder resultsBuilder) throws Exception {
        super.run(resultsBuilder);
        List<String> lines = new java.util.ArrayList<>();
        OutOfOrder.findings(resultsBuilder.getCommandScope())
                .forEach(finding -> lines.add("Out of order: " + finding + "; update refuses it unless " + OutOfOrder.ALLOW_FLAG));
        lines.addAll(OutOfOrder.unknown(resultsBuilder.getCommandScope()));
        lines.addAll(OutOfOrder.neverRecorded(resultsBuilder.getCommandScope()));
        if (lines.isEmpty()) {
            return;
        }
        Writer output = new OutputStreamWriter(resultsBuilder.getOutputStream(), StandardCharsets.UTF_8);
        for (String line : lines) {
            output.write(line + System.lineSeparator());
        }
        output.flush();
    }
}
