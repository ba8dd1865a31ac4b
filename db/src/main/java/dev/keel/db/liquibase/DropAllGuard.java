package dev.keel.db.liquibase;

import java.util.List;
import liquibase.command.AbstractCommandStep;
import liquibase.command.CommandOverride;
import liquibase.command.CommandResultsBuilder;
import liquibase.command.CommandScope;
import liquibase.command.core.DropAllCommandStep;
import liquibase.command.core.helpers.DbUrlConnectionArgumentsCommandStep;
import java.sql.Statement;
import liquibase.database.Database;
import liquibase.database.jvm.JdbcConnection;
import liquibase.exception.CommandExecutionException;
import liquibase.exception.CommandValidationException;

/**
 * Joins Liquibase's {@code dropAll} pipeline and refuses it, before anything is dropped, unless the
 * database is on this machine and the user confirmed with {@value #FORCE_FLAG}.
 */
public final class DropAllGuard extends AbstractCommandStep {

    static final String FORCE_FLAG = "-Dliquibase.command.force=true";

    @Override
    public String[][] defineCommandNames() {
        return new String[][] {DropAllCommandStep.COMMAND_NAME};
    }

    @Override
    public void validate(CommandScope scope) throws CommandValidationException {
        Database database = scope.getArgumentValue(DbUrlConnectionArgumentsCommandStep.DATABASE_ARG);
        String url = database != null ? database.getConnection().getURL()
                : scope.getArgumentValue(DbUrlConnectionArgumentsCommandStep.URL_ARG);
        List<String> hosts = JdbcUrls.hostsOf(url);
        String where = withoutParameters(url);
        if (!JdbcUrls.allLocal(url)) {
            throw new Refused("dropAll refused: " + where + " names host(s) " + hosts
                    + ", and dropAll only runs against localhost, 127.0.0.1 or ::1. Nothing was dropped.");
        }
        if (!Boolean.TRUE.equals(scope.getArgumentValue(DropAllCommandStep.FORCE_ARG))) {
            throw new Refused("dropAll refused: it drops every object in " + where
                    + ". Add " + FORCE_FLAG + " to confirm. Nothing was dropped.");
        }
    }

    /** The URL without its parameters, which hold Keel's session options rather than anything the user set. */
    private static String withoutParameters(String url) {
        return url == null ? "the database" : url.replaceFirst("\\?.*", "");
    }

    /**
     * Liquibase's dropAll, whose failure (PostgreSQL may already have dropped an object it still lists, such as a serial's
     * sequence with its table) is one error that says the database may no longer match its history, and what to do.
     */
    @CommandOverride(override = DropAllCommandStep.class)
    public static final class ReadableFailure extends DropAllCommandStep {

        @Override
        public void run(CommandResultsBuilder resultsBuilder) throws Exception {
            try {
                super.run(resultsBuilder);
                dropWhatLiquibaseLeaves((Database) resultsBuilder.getCommandScope().getDependency(Database.class));
            } catch (Exception e) {
                // It drops object by object without a transaction, so a failure may come after some were dropped.
                throw new StoppedHalfWay("dropAll stopped: " + RollbackFailures.innermostMessage(e) + "." + System.lineSeparator()
                        + "It may have dropped some objects and left the others, with Liquibase's history, so liquibase:status may no"
                        + " longer tell what the database holds. Drop the database itself (DROP DATABASE), then run liquibase:update.");
            }
        }
    }

    /**
     * Liquibase's dropAll drops the default schema's tables, views and sequences, and leaves its functions, procedures,
     * types, domains and extensions, and every other schema, so that the next update fails creating them again. Drops
     * those too, but an extension's own objects and PL/pgSQL.
     */
    static void dropWhatLiquibaseLeaves(Database database) throws Exception {
        if (database == null || !(database.getConnection() instanceof JdbcConnection jdbc)) {
            return;
        }
        try (Statement statement = jdbc.getUnderlyingConnection().createStatement()) {
            statement.execute(LEFT_BY_LIQUIBASE.replace("%schema%", "'" + database.getDefaultSchemaName().replace("'", "''") + "'"));
        }
        if (!jdbc.getAutoCommit()) {
            jdbc.commit();
        }
    }

    private static final String LEFT_BY_LIQUIBASE = """
            DO $$
            DECLARE object record;
            BEGIN
              FOR object IN
                  SELECT 'SCHEMA' AS kind, quote_ident(n.nspname) AS name FROM pg_namespace n
                   WHERE n.oid <> to_regnamespace(%schema%) AND n.nspname NOT IN ('public', 'information_schema') AND n.nspname NOT LIKE 'pg\\_%'
                     AND NOT EXISTS (SELECT 1 FROM pg_depend d WHERE d.classid = 'pg_namespace'::regclass AND d.objid = n.oid AND d.deptype = 'e')
                  UNION ALL
                  SELECT 'EXTENSION', quote_ident(x.extname) FROM pg_extension x
                   WHERE x.extnamespace = to_regnamespace(%schema%) AND x.extname <> 'plpgsql'
                  UNION ALL
                  SELECT CASE p.prokind WHEN 'p' THEN 'PROCEDURE' WHEN 'a' THEN 'AGGREGATE' ELSE 'FUNCTION' END, p.oid::regprocedure::text
                    FROM pg_proc p WHERE p.pronamespace = to_regnamespace(%schema%)
                     AND NOT EXISTS (SELECT 1 FROM pg_depend d WHERE d.classid = 'pg_proc'::regclass AND d.objid = p.oid AND d.deptype = 'e')
                  UNION ALL
                  SELECT CASE t.typtype WHEN 'd' THEN 'DOMAIN' ELSE 'TYPE' END, t.oid::regtype::text
                    FROM pg_type t WHERE t.typnamespace = to_regnamespace(%schema%)
                     AND (t.typtype IN ('e', 'd', 'r') OR t.typtype = 'c' AND EXISTS (SELECT 1 FROM pg_class c WHERE c.oid = t.typrelid AND c.relkind = 'c'))
                     AND NOT EXISTS (SELECT 1 FROM pg_depend d WHERE d.classid = 'pg_type'::regclass AND d.objid = t.oid AND d.deptype = 'e')
              LOOP
                EXECUTE format('DROP %s IF EXISTS %s CASCADE', object.kind, object.name);
              END LOOP;
            END $$""";

    /** As {@link Refused}, for the failure Liquibase's dropAll wraps the same way. */
    private static final class StoppedHalfWay extends CommandExecutionException {

        StoppedHalfWay(String message) {
            super(message);
        }

        @Override
        public String toString() {
            return getMessage();
        }
    }

    /**
     * Liquibase wraps a failed validation in an exception whose message is this one's {@code toString()}; without
     * the class name in front, the user reads only the refusal.
     */
    private static final class Refused extends CommandValidationException {

        Refused(String message) {
            super(message);
        }

        @Override
        public String toString() {
            return getMessage();
        }
    }

    @Override
    public void run(CommandResultsBuilder resultsBuilder) {
        // All of the guard's work happens in validate(), which Liquibase runs before any step.
    }
}
