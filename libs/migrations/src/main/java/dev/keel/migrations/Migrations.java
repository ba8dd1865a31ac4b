package dev.keel.migrations;

import dev.keel.db.liquibase.ChangesetFilters;
import dev.keel.db.liquibase.ClasspathChangelog;
import dev.keel.db.liquibase.SettingsPlaceholders;
import dev.keel.db.liquibase.UpdateSelection;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintStream;
import java.sql.SQLException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Properties;
import java.util.Set;
import java.util.TreeSet;
import java.util.logging.Level;
import java.util.logging.Logger;
import java.util.stream.Stream;
import liquibase.ContextExpression;
import liquibase.Scope;
import liquibase.changelog.ChangeLogParameters;
import liquibase.changelog.ChangeSet;
import liquibase.changelog.DatabaseChangeLog;
import liquibase.command.CommandArgumentDefinition;
import liquibase.command.CommandFactory;
import liquibase.command.CommandScope;
import liquibase.exception.LiquibaseException;
import liquibase.parser.ChangeLogParserFactory;
import liquibase.resource.ResourceAccessor;

/**
 * {@code java -jar keel-migrations.jar <command> [--option=value ...]}: a Liquibase command on the changelog this jar
 * carries, connected as the liquibase:* goals connect (the same URL, settings and extension: the advisory lock,
 * lock_timeout, the blocker report, the application role, the local bootstrap). Commands and options have
 * Liquibase's own names. Every failure ends with one line on standard error and a non-zero exit code.
 */
public final class Migrations {

    /** The changelog's path inside the jar, as the goals record it in DATABASECHANGELOG. */
    static final String CHANGELOG = "db/changelog/db.changelog-master.yaml";

    /** Liquibase's command names as typed, to the names its command API knows them by. */
    static final Map<String, String> COMMANDS = commands();

    /** Liquibase's own log is for diagnosing Liquibase; held here, since java.util.logging forgets an unused logger's level. */
    private static final Logger LIQUIBASE_LOG = Logger.getLogger("liquibase");

    /** The option each command cannot run without. */
    private static final Map<String, String> REQUIRED = Map.of("rollback-count", "count", "rollback", "tag", "tag", "tag");

    /** The arguments Keel sets itself, from the settings and the jar. */
    private static final Set<String> SET_BY_KEEL = Set.of("url", "username", "password", "changelogFile", "changeExecListenerClass");

    private Migrations() {
    }

    public static void main(String[] args) {
        System.exit(run(args, System.err));
    }

    /** Runs one command; 0 when it succeeded, else 1 after one line on {@code err} (2 for a wrong command line). */
    static int run(String[] args, PrintStream err) {
        LIQUIBASE_LOG.setLevel(Level.OFF);
        String wrongCommandLine = refusal(args);
        if (wrongCommandLine != null) {
            err.println(wrongCommandLine);
            return 2;
        }
        System.setProperty("liquibase.changelogLockPollRate", "1");
        // Keel's own notes (a database created on a local host) as one line each, like the rest of the output.
        System.setProperty("java.util.logging.SimpleFormatter.format", "%5$s%n");
        try {
            Map<String, String> given = new LinkedHashMap<>();
            for (int i = 1; i < args.length; i++) {
                int equals = args[i].indexOf('=');
                given.put(camelCase(args[i].substring(2, equals < 0 ? args[i].length() : equals)), equals < 0 ? "true" : args[i].substring(equals + 1));
            }
            SettingsPlaceholders settings = new SettingsPlaceholders();
            CommandScope command = new CommandScope(COMMANDS.get(args[0]))
                    .addArgumentValue("url", settings.override(connection().getProperty("url")))
                    .addArgumentValue("username", settings.override("%{DB_USERNAME}"))
                    .addArgumentValue("password", settings.override("%{DB_PASSWORD}"))
                    .addArgumentValue("changelogFile", CHANGELOG);
            if (args[0].startsWith("update") || args[0].startsWith("rollback")) {
                command.addArgumentValue("changeExecListenerClass", "dev.keel.db.liquibase.LockWaitReport");
            }
            given.forEach(command::addArgumentValue);
            command.setOutput(System.out);
            ResourceAccessor changelog = new ClasspathChangelog(Migrations.class.getClassLoader());
            Map<String, Object> scope = Map.of(
                    Scope.Attr.resourceAccessor.name(), changelog,
                    // Liquibase's multi-line exception report; the failure is reported below, in one line.
                    "DO_NOT_SEND_EXCEPTION_TO_UI", Boolean.TRUE);
            CommandArgumentDefinition<?> contexts = command.getCommand().getArgument("contexts");
            if (contexts != null && String.valueOf(Objects.requireNonNullElse(command.getArgumentValue(contexts), "")).isBlank()) {
                String note = Scope.child(scope, () -> everyContextNote(changelog, CHANGELOG));
                if (note != null) {
                    err.println(note);
                }
            }
            Scope.child(scope, () -> command.execute());
            return 0;
        } catch (Exception | LinkageError e) {
            err.println(args[0] + " failed: " + innermost(e));
            return 1;
        }
    }

    /**
     * Why this command line cannot run, in one line, or null when it can: checked before anything connects, so a typo
     * creates and changes nothing.
     */
    static String refusal(String[] args) {
        if (args.length == 0 || !COMMANDS.containsKey(args[0])) {
            return "Usage: java -jar keel-migrations.jar <command> [--option=value ...], where <command> is one of "
                    + String.join(", ", COMMANDS.keySet()) + " (for example: rollback-count --count=1, rollback --tag=v1, tag --tag=v1)";
        }
        Set<String> options = new TreeSet<>();
        CommandFactory.getInstance().getCommandDefinition(COMMANDS.get(args[0])).getArguments().values().stream()
                .filter(argument -> !argument.getHidden() && !SET_BY_KEEL.contains(argument.getName()))
                .forEach(argument -> options.add(argument.getName()));
        Set<String> given = new TreeSet<>();
        for (int i = 1; i < args.length; i++) {
            String option = args[i];
            if (option.startsWith("-D")) {
                return "Not an option of " + args[0] + ": " + option + "; a -D setting goes before -jar: java " + option
                        + " -jar keel-migrations.jar " + args[0];
            }
            int equals = option.indexOf('=');
            String name = option.startsWith("--") ? camelCase(option.substring(2, equals < 0 ? option.length() : equals)) : "";
            if (!options.contains(name)) {
                return "Not an option of " + args[0] + ": " + option + "; its options are "
                        + (options.isEmpty() ? "none" : String.join(", ", options.stream().map(o -> "--" + kebabCase(o)).toList()));
            }
            if (!given.add(name)) {
                return "--" + kebabCase(name) + " is given twice; give it once";
            }
            String value = equals < 0 ? "" : option.substring(equals + 1);
            if (name.equals("count") && !value.matches("\\d{1,9}")) {
                return "--" + kebabCase(name) + " must be a whole number, such as --" + kebabCase(name) + "=1; it is '" + value + "'";
            }
        }
        String required = REQUIRED.get(args[0]);
        if (required != null && !given.contains(required)) {
            return args[0] + " needs --" + required + "=<value>";
        }
        return null;
    }


    /**
     * A note when the changelog gives changesets a context and the command selects none, so it takes them all: a deploy
     * job that lacks the {@code LIQUIBASE_COMMAND_CONTEXTS} of the build's checks would apply, say, test data. Null
     * when no changeset has a context.
     */
    static String everyContextNote(ResourceAccessor accessor, String changelog) throws LiquibaseException {
        DatabaseChangeLog parsed = ChangeLogParserFactory.getInstance().getParser(changelog, accessor).parse(changelog, new ChangeLogParameters(), accessor);
        Set<String> contexts = new TreeSet<>();
        int changeSets = 0;
        for (ChangeSet changeSet : parsed.getChangeSets()) {
            List<String> own = Stream.concat(Stream.of(changeSet.getContextFilter()), changeSet.getInheritableContextFilter().stream())
                    .filter(context -> context != null && !context.isEmpty()).map(ContextExpression::toString)
                    .filter(Migrations::namesAContext).toList();
            if (!own.isEmpty() && ChangesetFilters.runByUpdate(changeSet)) {
                changeSets++;
                contexts.addAll(own);
            }
        }
        return changeSets == 0 ? null : "Note: " + changeSets + (changeSets == 1 ? " changeset" : " changesets") + " of the changelog "
                + (changeSets == 1 ? "has" : "have") + " a context (" + String.join("; ", contexts) + ") and this command selects no"
                + " contexts, so it takes them all. If the build's checks ran with " + UpdateSelection.CONTEXTS + ", give the job the"
                + " same (or --context-filter=...).";
    }

    /**
     * Whether a context expression names a context a deploy selects to get the changeset ({@code faker}), not only ones
     * it leaves out ({@code !cuba}, {@code not test}): a changeset of the latter kind runs without a selection as with most.
     */
    static boolean namesAContext(String expression) {
        boolean negated = false;
        for (String token : expression.toLowerCase(java.util.Locale.ROOT).split("[\\s,()]+")) {
            if (token.isEmpty() || token.equals("and") || token.equals("or")) {
                continue;
            }
            if (token.equals("not")) {
                negated = true;
                continue;
            }
            if (!negated && !token.startsWith("!")) {
                return true;
            }
            negated = false;
        }
        return false;
    }

    /** The URL template of the root POM's keel.db.url, which the build filtered into this jar (Boot's @...@ delimiters). */
    private static Properties connection() throws IOException {
        Properties properties = new Properties();
        try (InputStream in = Migrations.class.getResourceAsStream("/keel-migrations.properties")) {
            if (in == null) {
                throw new IOException("keel-migrations.properties is missing from this jar; rebuild it with mvn package");
            }
            properties.load(in);
        }
        return properties;
    }

    /**
     * What went wrong, in one line: PostgreSQL's or the driver's own words where the chain has them (Liquibase's outer
     * messages repeat the whole URL), else the innermost message.
     */
    static String innermost(Throwable e) {
        String message = String.valueOf(e.getMessage());
        String database = null;
        for (Throwable cause = e; cause != null && cause.getCause() != cause; cause = cause.getCause()) {
            if (cause.getMessage() != null && !cause.getMessage().isBlank()) {
                message = cause.getMessage();
                if (cause instanceof SQLException) {
                    database = cause.getMessage();
                }
            }
        }
        return (database != null ? database : message).strip().replaceAll("\\s*\\R\\s*", " ");
    }

    static String camelCase(String kebab) {
        StringBuilder camel = new StringBuilder();
        boolean upper = false;
        for (char c : kebab.toCharArray()) {
            if (c == '-') {
                upper = true;
            } else {
                camel.append(upper ? Character.toUpperCase(c) : c);
                upper = false;
            }
        }
        return camel.toString();
    }

    static String kebabCase(String camel) {
        return camel.replaceAll("([a-z0-9])([A-Z])", "$1-$2").toLowerCase(java.util.Locale.ROOT);
    }

    private static Map<String, String> commands() {
        Map<String, String> commands = new LinkedHashMap<>();
        commands.put("update", "update");
        commands.put("status", "status");
        commands.put("history", "history");
        commands.put("rollback-count", "rollbackCount");
        commands.put("rollback", "rollback");
        commands.put("update-sql", "updateSql");
        commands.put("validate", "validate");
        commands.put("tag", "tag");
        return commands;
    }
}
