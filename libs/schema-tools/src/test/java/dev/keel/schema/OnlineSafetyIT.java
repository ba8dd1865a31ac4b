package dev.keel.schema;

import static org.assertj.core.api.Assertions.assertThat;

import dev.keel.online.OnlineCheck;
import dev.keel.schema.online.OnlineCheckTool;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.parallel.Isolated;

/**
 * The online-safety gate of {@code mvn verify}: this repository's changesets that are not released yet are traced
 * on a populated database, and any error-level finding fails the build with the safe rewrite to use instead.
 * Released changesets are history: they ran in production already and may not be edited, so they are not traced.
 */
@Isolated
class OnlineSafetyIT {

    @Test
    void pendingChangesetsAreOnlineSafe() throws Exception {
        OnlineCheck.Report report = OnlineCheckTool.check(Project.current(), System.out::println);

        assertThat(report.failed()).as("%n%s%nUse each safe rewrite above, or suppress a finding with a reason in its changeset's"
                + " comment (keel-allow <rule>: <why>). To run this check alone: %s", report.text(), OnlineCheckTool.COMMAND).isFalse();
    }
}
