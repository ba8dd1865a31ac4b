package dev.keel.db.liquibase;

import java.sql.Connection;
import java.sql.Statement;
import java.util.Map;
import liquibase.Scope;
import liquibase.changelog.ChangeLogParameters;
import liquibase.command.CommandOverride;
import liquibase.command.CommandResultsBuilder;
import liquibase.command.core.helpers.DatabaseChangelogCommandStep;
import liquibase.database.Database;
import liquibase.database.core.PostgresDatabase;
import liquibase.database.jvm.JdbcConnection;
import liquibase.exception.ChangeLogParseException;
import liquibase.exception.CommandExecutionException;
import liquibase.exception.ValidationFailedException;
import liquibase.logging.LogService;
import liquibase.parser.ChangeLogParserFactory;
import liquibase.resource.ResourceAccessor;

/**
 * Liquibase creates DATABASECHANGELOG in this step, before the changelog lock is taken. With an
 * advisory lock (liquibase-sessionlock) nothing else serializes that, so two runs started at once on
 * an empty database both try to create the table and one fails. This step holds a session-level
 * advisory lock of its own around the original one; a killed run releases it with its session.
 *
 * <p>The step also reads and validates the changelog. A file it cannot parse, or a failed validation, leaves it as a
 * message of its own with what to do, without Liquibase's exception class names. A failed validation needs it most:
 * Liquibase's exception writes its message from the run's scope, which has ended by the time Maven prints it, and
 * Maven then printed "Cannot find default log service" instead.
 */
@CommandOverride(override = DatabaseChangelogCommandStep.class)
public final class SerializedHistoryInit extends DatabaseChangelogCommandStep {

    /** What a refusal for a changelog that fails validation tells an update's user to do; a tool that says its own drops it. */
    public static final String FIX_WHAT_IT_NAMES = "Fix what it names, then run the command again.";

    /** "KEEL" in ASCII, and 1 for this lock, so it cannot collide with liquibase-sessionlock's keys. */
    private static final String LOCK = "(1262830924, 1)";

    @Override
    public void run(CommandResultsBuilder resultsBuilder) throws Exception {
        Database database = (Database) resultsBuilder.getCommandScope().getDependency(Database.class);
        if (!(database instanceof PostgresDatabase) || !(database.getConnection() instanceof JdbcConnection jdbc)) {
            validated(resultsBuilder);
            return;
        }
        Connection connection = jdbc.getUnderlyingConnection();
        execute(connection, "SELECT pg_advisory_lock" + LOCK);
        try {
            validated(resultsBuilder);
        } finally {
            execute(connection, "SELECT pg_advisory_unlock" + LOCK);
        }
    }

    private void validated(CommandResultsBuilder resultsBuilder) throws Exception {
        try {
            LogService log = Scope.getCurrentScope().get(Scope.Attr.logService, LogService.class);
            Scope.child(Map.of(Scope.Attr.logService.name(), new OneLineFailures(log)), () -> super.run(resultsBuilder));
        } catch (ChangeLogParseException broken) {
            throw new CommandExecutionException("The changelog cannot be read: " + ChangelogParseFailures.describe(broken)
                    + System.lineSeparator() + "Fix that file, then run the command again. " + nothingDone(resultsBuilder));
        } catch (ValidationFailedException failed) {
            throw new CommandExecutionException(failed.getMessage().strip() + System.lineSeparator() + (failed.getInvalidMD5Sums().isEmpty()
                    ? FIX_WHAT_IT_NAMES + " "
                    : contextsHint(resultsBuilder) + "An applied changeset was edited: undo the edit and put the change in a new changeset."
                            + " If it is not released yet and only your database has it, you may instead undo the edit, roll it back with"
                            + " liquibase:rollback, redo the edit and update. ") + nothingDone(resultsBuilder));
        }
    }

    /** What the refused command did not do: a rollback rolled nothing back, an update applied nothing; others change nothing anyway. */
    private static String nothingDone(CommandResultsBuilder resultsBuilder) {
        String[] name = resultsBuilder.getCommandScope().getCommand().getName();
        String command = name.length > 0 ? name[0].toLowerCase(java.util.Locale.ROOT) : "";
        if (command.endsWith("sql")) {
            return ""; // a preview, which runs nothing anyway
        }
        return command.startsWith("rollback") ? "Nothing was rolled back." : command.startsWith("update") ? "Nothing was applied." : "";
    }

    /**
     * A run without contexts on a changelog that writes a changeset once per context sees another variant than the one
     * its database applied, which looks like an edit: the likelier cause, when the changelog picks changesets by context.
     */
    private static String contextsHint(CommandResultsBuilder resultsBuilder) {
        String contexts = resultsBuilder.getCommandScope().getArgumentValue(CONTEXTS_ARG);
        if (contexts != null && !contexts.isBlank()) {
            return "";
        }
        try {
            String file = resultsBuilder.getCommandScope().getArgumentValue(CHANGELOG_FILE_ARG);
            ResourceAccessor accessor = Scope.getCurrentScope().getResourceAccessor();
            boolean byContext = ChangeLogParserFactory.getInstance().getParser(file, accessor).parse(file, new ChangeLogParameters(), accessor)
                    .getChangeSets().stream().anyMatch(changeSet -> changeSet.getContextFilter() != null && !changeSet.getContextFilter().isEmpty());
            return byContext ? "This run selected no contexts, and the changelog picks changesets by context: if your updates select some,"
                    + " give this run the same (" + UpdateSelection.CONTEXTS + ", or -Dliquibase.contexts), as a changeset written once per"
                    + " context looks edited without them. Otherwise: " : "";
        } catch (Exception | LinkageError unreadable) {
            return "";
        }
    }

    private static void execute(Connection connection, String sql) throws Exception {
        try (Statement statement = connection.createStatement()) {
            statement.execute(sql);
        }
    }
}
