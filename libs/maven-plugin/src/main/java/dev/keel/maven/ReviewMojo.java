package dev.keel.maven;

import org.apache.maven.plugins.annotations.Execute;
import org.apache.maven.plugins.annotations.LifecyclePhase;
import org.apache.maven.plugins.annotations.Mojo;

/** {@code mvn keel:review}: the review of the changesets not on the main line yet (SQL, online verdicts, snapshot diff) as Markdown, GitHub annotations and JSON. */
@Mojo(name = "review", aggregator = true, threadSafe = true)
@Execute(phase = LifecyclePhase.COMPILE)
public class ReviewMojo extends ToolMojo {

    @Override
    String tool() {
        return "review";
    }
}
