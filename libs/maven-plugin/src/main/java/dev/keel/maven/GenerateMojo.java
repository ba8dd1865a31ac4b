package dev.keel.maven;

import org.apache.maven.plugins.annotations.Execute;
import org.apache.maven.plugins.annotations.LifecyclePhase;
import org.apache.maven.plugins.annotations.Mojo;

/** {@code mvn keel:generate}: writes a changeset for what the entities map and the changelog lacks (-Dname=AddUserPhone). */
@Mojo(name = "generate", aggregator = true, threadSafe = true)
@Execute(phase = LifecyclePhase.COMPILE)
public class GenerateMojo extends ToolMojo {

    @Override
    String tool() {
        return "generate";
    }
}
