package dev.keel.db.liquibase;

import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A changelog Liquibase cannot parse, in one line: the file (and line) it names deepest in its chain of causes, and
 * the innermost cause without the class names Liquibase wraps around it.
 */
public final class ChangelogParseFailures {

    private static final Pattern FILE = Pattern.compile("(?:Error parsing|Syntax error in file) (?:line (\\d+) column (\\d+) of )?(\\S+?)(?: ?:|$)");
    /** A place SnakeYAML names: this line, then the line of the file and a caret under the column. */
    private static final Pattern YAML_MARK = Pattern.compile("\\s*in 'reader', line (\\d+), column (\\d+):?");
    private static final Pattern CLASS_PREFIXES = Pattern.compile("^(?:[a-z][\\w$]*(?:\\.[\\w$]+)*\\.[A-Z][\\w$]*(?:Exception|Error)\\s*:\\s*)+");
    private static final Pattern CONFLICT_MARKER = Pattern.compile("^\\s*(<{7}|={7}|>{7})( |$)");
    private static final Pattern XML_NAMESPACED = Pattern.compile("\\{\"[^\"]*\":([\\w-]+)}");

    private ChangelogParseFailures() {
    }

    /** The innermost message there is: a cause without one (a NullPointerException, say) gives way to its wrapper's. */
    private static String innermostMessage(Throwable failure) {
        String message = String.valueOf(failure.getMessage());
        for (Throwable cause = failure; cause != null; cause = cause.getCause() == cause ? null : cause.getCause()) {
            if (cause.getMessage() != null && !cause.getMessage().isBlank()) {
                message = cause.getMessage();
            }
        }
        return message.strip();
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
        String message = innermostMessage(failure);
        // SnakeYAML: what it was parsing, where; what it found, where. The last place is the one at fault.
        List<String> said = new ArrayList<>();
        String place = null;
        boolean conflicted = false;
        List<String> lines = message.lines().toList();
        for (int i = 0; i < lines.size(); i++) {
            Matcher mark = YAML_MARK.matcher(lines.get(i));
            if (mark.matches()) {
                place = " line " + mark.group(1) + " column " + mark.group(2);
                // The file's line and the caret under the column, both indented.
                for (int shown = 0; shown < 2 && i + 1 < lines.size() && (lines.get(i + 1).isBlank() || lines.get(i + 1).startsWith(" ")); shown++) {
                    i++;
                    conflicted |= CONFLICT_MARKER.matcher(lines.get(i)).find();
                }
            } else if (!lines.get(i).isBlank()) {
                said.add(lines.get(i).strip());
            }
        }
        if (place != null && where != null) {
            where += place;
            message = String.join("; ", said);
        }
        String text = innermost instanceof ClassNotFoundException
                ? "class " + innermost.getMessage() + " is not on the class path; a customChange needs the jar that holds it as a"
                        + " dependency of db in db/pom.xml (for the tools, the tests and the migration jar) and of the Liquibase plugin there"
                : CLASS_PREFIXES.matcher(message).replaceFirst("");
        text = XML_NAMESPACED.matcher(text).replaceAll("$1").replaceFirst("^cvc-[\\w.-]+: ", "").replaceFirst("\\s*One of '.*' is expected\\.?$", "");
        if (conflicted) {
            text += ". That line is one of git's conflict markers: run mvn keel:rebase, which resolves a conflict in the master and"
                    + " the released list; resolve one in any other file by hand";
        }
        if (where == null) {
            return text;
        }
        return where + (named || failure.getCause() == null ? "" : ", or a file it includes") + ": " + text;
    }
}
