package dev.keel.db.liquibase;

import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A changelog Liquibase cannot parse, in one line: the file (and line) it names deepest in its chain of causes, and
 * the innermost cause without the class names Liquibase wraps around it.
 */
public final class ChangelogParseFailures {

    private static final Pattern FILE = Pattern.compile("(?:Error parsing|Syntax error in file) (?:line (\\d+) column (\\d+) of )?(\\S+?)(?: ?:|$)");
    /** Where SnakeYAML says it stopped: the lines after its first. */
    private static final Pattern YAML_MARK = Pattern.compile("\\n\\s*in 'reader', line (\\d+), column (\\d+)[\\s\\S]*");
    private static final Pattern CLASS_PREFIXES = Pattern.compile("^(?:[a-z][\\w$]*(?:\\.[\\w$]+)*\\.[A-Z][\\w$]*(?:Exception|Error)\\s*:\\s*)+");
    private static final Pattern XML_NAMESPACED = Pattern.compile("\\{\"[^\"]*\":([\\w-]+)}");

    private ChangelogParseFailures() {
    }

    public static String describe(Throwable failure) {
        String where = null;
        boolean named = false;
        int depth = 0;
        Throwable innermost = failure;
        for (Throwable cause = failure; cause != null; cause = cause.getCause() == cause ? null : cause.getCause(), depth++) {
            innermost = cause;
            Matcher file = FILE.matcher(String.valueOf(cause.getMessage()));
            while (file.find()) {
                where = file.group(3) + (file.group(1) == null ? "" : " line " + file.group(1) + " column " + file.group(2));
                // Only the outermost message names the master: a failure in a file it includes may name no other file.
                named = depth > 0 || file.start() > 0;
            }
        }
        String message = String.valueOf(innermost.getMessage()).strip();
        Matcher mark = YAML_MARK.matcher(message);
        if (where != null && mark.find()) {
            where += " line " + mark.group(1) + " column " + mark.group(2);
            message = message.substring(0, mark.start()).strip();
        }
        String text = innermost instanceof ClassNotFoundException
                ? "class " + innermost.getMessage() + " is not on the class path; a customChange needs the jar that holds it as a"
                        + " dependency of the Liquibase plugin in db/pom.xml"
                : CLASS_PREFIXES.matcher(message).replaceFirst("");
        text = XML_NAMESPACED.matcher(text).replaceAll("$1").replaceFirst("^cvc-[\\w.-]+: ", "").replaceFirst("\\s*One of '.*' is expected\\.?$", "");
        if (where == null) {
            return text;
        }
        return where + (named || failure.getCause() == null ? "" : ", or a file it includes") + ": " + text;
    }
}
