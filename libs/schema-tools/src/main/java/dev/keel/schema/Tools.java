package dev.keel.schema;

import dev.keel.schema.accept.Accept;
import dev.keel.schema.generate.GenerateChangeset;
import dev.keel.schema.online.OnlineCheckTool;

/** The keel:* goals' entry point: the Maven plugin in libs/maven-plugin calls {@link #run} inside Maven's JVM. */
public final class Tools {

    private Tools() {
    }

    /** Runs one tool; null when it succeeded, else the one-line reason it refused or failed. */
    public static String run(String tool) {
        return switch (tool) {
            case "generate" -> ToolOutput.refusal(GenerateChangeset::run);
            case "accept" -> ToolOutput.refusal(Accept::run);
            case "online-check" -> ToolOutput.refusal(OnlineCheckTool::run);
            default -> "Unknown tool " + tool + "; the tools are generate, accept and online-check";
        };
    }
}
