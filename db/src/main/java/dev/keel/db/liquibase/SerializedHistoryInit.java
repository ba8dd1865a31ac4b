package dev.keel.db.liquibase;

import java.sql.Connection;
import java.sql.Statement;
import liquibase.command.CommandOverride;
import liquibase.command.CommandResultsBuilder;
import liquibase.command.core.helpers.DatabaseChangelogCommandStep;
import liquibase.database.Database;
import liquibase.database.core.PostgresDatabase;
import liquibase.database.jvm.JdbcConnection;

/**
 * Liquibase creates DATABASECHANGELOG in this step, before the changelog lock is taken. With an
 * advisory lock (liquibase-sessionlock) nothing else serializes that, so two runs started at once on
 * an empty database both try to create the table and one fails. This step holds a session-level
 * advisory lock of its own around the original one; a killed run releases it with its session.
 */
@CommandOverride(override = DatabaseChangelogCommandStep.class)
public final class SerializedHistoryInit extends DatabaseChangelogCommandStep {

    /** "KEEL" in ASCII, and 1 for this lock, so it cannot collide with liquibase-sessionlock's keys. */
    private static final String LOCK = "(1262830924, 1)";

    @Override
    public void run(CommandResultsBuilder resultsBuilder) throws Exception {
        Database database = (Database) resultsBuilder.getCommandScope().getDependency(Database.class);
        if (!(database instanceof PostgresDatabase) || !(database.getConnection() instanceof JdbcConnection jdbc)) {
            super.run(resultsBuilder);
            return;
        }
        Connection connection = jdbc.getUnderlyingConnection();
        execute(connection, "SELECT pg_advisory_lock" + LOCK);
        try {
            super.run(resultsBuilder);
        } finally {
            execute(connection, "SELECT pg_advisory_unlock" + LOCK);
        }
    }

    private static void execute(Connection connection, String sql) throws Exception {
        try (Statement statement = connection.createStatement()) {
            statement.execute(sql);
        }
    }
}
