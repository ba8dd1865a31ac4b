package dev.keel.maven;

import org.apache.maven.plugins.annotations.Execute;
import org.apache.maven.plugins.annotations.LifecyclePhase;
import org.apache.maven.plugins.annotations.Mojo;

/** {@code mvn keel:rebase}: moves the branch's unreleased changesets after every released one and resolves a merge of the master changelog, the list and the snapshot. */
@Mojo(name = "rebase", aggregator = true, threadSafe = true)
@Execute(phase = LifecyclePhase.COMPILE)
public class RebaseMojo extends ToolMojo {

    @Override
    String tool() {
        return "rebase";
    }
}
