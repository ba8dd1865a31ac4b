package dev.keel.maven;

import org.apache.maven.plugins.annotations.Execute;
import org.apache.maven.plugins.annotations.LifecyclePhase;
import org.apache.maven.plugins.annotations.Mojo;

/** {@code mvn keel:accept}: records new or revised changesets in db/released-changesets.txt and refreshes db/schema.sql and db/schema.md. */
@Mojo(name = "accept", aggregator = true, threadSafe = true)
@Execute(phase = LifecyclePhase.COMPILE)
public class AcceptMojo extends ToolMojo {

    @Override
    String tool() {
        return "accept";
    }
}
