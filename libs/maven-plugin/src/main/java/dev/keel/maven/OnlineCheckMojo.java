package dev.keel.maven;

import org.apache.maven.plugins.annotations.Execute;
import org.apache.maven.plugins.annotations.LifecyclePhase;
import org.apache.maven.plugins.annotations.Mojo;

/** {@code mvn keel:online-check}: traces each changeset that is not released yet on a populated throwaway database and reports lock-heavy ones with their safe rewrite. */
@Mojo(name = "online-check", aggregator = true, threadSafe = true)
@Execute(phase = LifecyclePhase.COMPILE)
public class OnlineCheckMojo extends ToolMojo {

    @Override
    String tool() {
        return "online-check";
    }
}
