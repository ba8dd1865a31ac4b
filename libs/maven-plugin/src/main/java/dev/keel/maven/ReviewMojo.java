package dev.keel.maven;

import org.apache.maven.plugins.annotations.Execute;
import org.apache.maven.plugins.annotations.LifecyclePhase;
import org.apache.maven.plugins.annotations.Mojo;

/** {@code mvn keel:review}: writes a review of the branch's unreleased changesets (SQL, online check, schema diff) as Markdown, JSON and GitHub annotations. */
@Mojo(name = "review", aggregator = true, threadSafe = true)
@Execute(phase = LifecyclePhase.COMPILE)
public class ReviewMojo extends ToolMojo {

    @Override
    String tool() {
        return "review";
    }
}
