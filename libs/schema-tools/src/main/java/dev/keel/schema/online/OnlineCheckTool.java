package dev.keel.schema.online;

import dev.keel.online.Finding;
import dev.keel.online.OnlineCheck;
import dev.keel.schema.Project;
import dev.keel.schema.ToolOutput;
import dev.keel.schema.released.MainLine;
import dev.keel.schema.released.ReleasedChangesets;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;

/** {@code mvn keel:online-check}: the online check (libs/online-check) on the changesets that are not released yet. */
public final class OnlineCheckTool {

    public static final String COMMAND = "mvn keel:online-check";

    private OnlineCheckTool() {
    }

    public static void run() throws Exception {
        Project project = Project.current();
        System.out.println(released(project));
        OnlineCheck.Report report = check(project, System.out::println);
        System.out.print(report.text());
        if (report.failed()) {
            throw new ToolOutput.Refused(refusal(report));
        }
    }

    /** What to do about a report that failed: the rewrites or suppressions its errors need, and the fixes of its problems. */
    public static String refusal(OnlineCheck.Report report) {
        List<String> fixes = new ArrayList<>();
        if (report.findings().stream().anyMatch(Finding::isError)) {
            fixes.add("use each safe rewrite above, or suppress a finding with a reason in its changeset's comment (keel-allow <rule>: <why>)");
        }
        if (!report.problems().isEmpty()) {
            fixes.add("fix each problem above as it says (a changeset that does not apply on tables that have rows needs those rows"
                    + " made valid first, by a backfill in a changeset before it)");
        }
        return "The pending changesets are not online-safe: " + String.join("; ", fixes) + ". Then run " + COMMAND + " again.";
    }

    /** Which changesets count as released, so that the reader knows which ones were left untraced and why. */
    static String released(Project project) {
        String base = MainLine.base(project);
        return base == null ? "Not in a git work tree, or no commit yet: each changeset in " + Project.RELEASED_LIST + " counts as released and is not traced."
                : "Released, so not traced: the changesets in " + Project.RELEASED_LIST + " as the main line has it at " + base.substring(0, 12)
                        + " (" + MainLine.VARIABLE + " or -D" + MainLine.PROPERTY + " names another main branch).";
    }

    /** Traces the project's changesets that are not released yet (see {@link ReleasedChangesets}). */
    public static OnlineCheck.Report check(Project project, Consumer<String> progress) throws Exception {
        ReleasedChangesets.State state = ReleasedChangesets.read(project);
        return OnlineCheck.trace(project.resources(), Project.MASTER, state::releasedAsIs, progress);
    }
}
