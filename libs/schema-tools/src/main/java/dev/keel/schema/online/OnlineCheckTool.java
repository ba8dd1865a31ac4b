package dev.keel.schema.online;

import dev.keel.online.OnlineCheck;
import dev.keel.schema.Project;
import dev.keel.schema.ToolOutput;
import dev.keel.schema.released.ReleasedChangesets;
import java.util.function.Consumer;

/** {@code mvn keel:online-check}: the online check (libs/online-check) on the changesets that are not released yet. */
public final class OnlineCheckTool {

    public static final String COMMAND = "mvn keel:online-check";

    private OnlineCheckTool() {
    }

    public static void run() throws Exception {
        OnlineCheck.Report report = check(Project.current(), System.out::println);
        System.out.print(report.text());
        if (report.failed()) {
            throw new ToolOutput.Refused("The pending changesets are not online-safe: use each safe rewrite above, or suppress a finding"
                    + " with a reason in its changeset's comment (keel-allow <rule>: <why>), then run " + COMMAND + " again.");
        }
    }

    /** Traces the project's changesets that are not released yet (see {@link ReleasedChangesets}). */
    public static OnlineCheck.Report check(Project project, Consumer<String> progress) throws Exception {
        ReleasedChangesets.State state = ReleasedChangesets.read(project);
        return OnlineCheck.trace(project.resources(), Project.MASTER, state::releasedAsIs, progress);
    }
}
