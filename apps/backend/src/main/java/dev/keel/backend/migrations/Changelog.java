package dev.keel.backend.migrations;

import dev.keel.db.liquibase.ChangesetFilters;
import dev.keel.db.liquibase.ClasspathChangelog;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.stream.Collectors;
import javax.sql.DataSource;
import liquibase.Contexts;
import liquibase.LabelExpression;
import liquibase.changelog.ChangeLogParameters;
import liquibase.changelog.ChangeSet;
import liquibase.changelog.DatabaseChangeLog;
import liquibase.changelog.filter.ContextChangeSetFilter;
import liquibase.changelog.filter.LabelChangeSetFilter;
import liquibase.database.core.PostgresDatabase;
import liquibase.exception.LiquibaseException;
import liquibase.parser.ChangeLogParserFactory;
import liquibase.resource.ResourceAccessor;
import org.springframework.jdbc.core.JdbcTemplate;

/**
 * Reads, never applies, the db module's changelog and Liquibase's history table. The service's role
 * may select from DATABASECHANGELOG but not write to it, and this needs nothing more.
 */
public class Changelog {

    /** The classpath location the db goals record, so the history's file names match. */
    public static final String MASTER = "db/changelog/db.changelog-master.yaml";

    /** A changeset as Liquibase identifies it. */
    public record Id(String id, String author, String file) {

        @Override
        public String toString() {
            return file + "::" + id + "::" + author;
        }

        /** What Liquibase compares: the file path normalized and without regard to case, the id and the author. */
        String key() {
            return DatabaseChangeLog.normalizePath(file).toLowerCase(Locale.ROOT) + "::" + id + "::" + author;
        }
    }

    /** The changelog against the database: what it has not applied, and what it applied that the changelog lacks. */
    public record Comparison(List<Id> pending, List<Id> unknown) {
    }

    /** A row of DATABASECHANGELOG. */
    public record Applied(String id, String author, String file, String executedAt, int order, String tag) {
    }

    private final JdbcTemplate jdbc;
    private final String contexts;
    private final String labels;

    /** {@code contexts} and {@code labels}: those the deploy's update selects, or null for all, as an update without them. */
    public Changelog(DataSource dataSource, String contexts, String labels) {
        this.jdbc = new JdbcTemplate(dataSource);
        this.contexts = contexts;
        this.labels = labels;
    }

    /**
     * Reads the changelog and the history once: pending in changelog order, unknown in the order they ran. Every changeset
     * of the changelog is known, whatever it runs here: one for other databases is recorded too, where a precondition
     * with {@code onFail: MARK_RAN} fails on PostgreSQL.
     */
    public Comparison compare() {
        List<ChangeSet> all = parse(MASTER);
        List<Id> applied = applied().stream().map(row -> new Id(row.id(), row.author(), row.file())).toList();
        Set<String> appliedKeys = applied.stream().map(Id::key).collect(Collectors.toSet());
        Set<String> knownKeys = known(all);
        return new Comparison(mustBeRecorded(selected(all, contexts, labels)).stream().filter(id -> !appliedKeys.contains(id.key())).toList(),
                applied.stream().filter(id -> !knownKeys.contains(id.key())).toList());
    }

    public List<Applied> applied() {
        if (jdbc.queryForObject("SELECT to_regclass('databasechangelog') IS NOT NULL", Boolean.class) != Boolean.TRUE) {
            return List.of();
        }
        return jdbc.query("SELECT id, author, filename, dateexecuted::text, orderexecuted, tag FROM databasechangelog ORDER BY orderexecuted",
                (row, n) -> new Applied(row.getString(1), row.getString(2), row.getString(3), row.getString(4), row.getInt(5), row.getString(6)));
    }

    /**
     * The changesets {@code liquibase:update} records on PostgreSQL with these contexts and labels, in changelog order:
     * one marked {@code ignore: true}, whose {@code dbms} names only other databases, or that the contexts or labels
     * leave out, is never applied here, and one that update {@linkplain ChangesetFilters#mayStayPending may leave
     * unrecorded} may be pending on an up-to-date database, so neither counts as pending.
     */
    static List<Id> changesets(String master, String contexts, String labels) {
        return mustBeRecorded(selected(parse(master), contexts, labels));
    }

    /** Every changeset of the changelog, whatever update does with it here. */
    static Set<String> known(String master) {
        return known(parse(master));
    }

    private static Set<String> known(List<ChangeSet> changeSets) {
        return changeSets.stream().map(Changelog::id).map(Id::key).collect(Collectors.toSet());
    }

    private static List<Id> mustBeRecorded(List<ChangeSet> changeSets) {
        return changeSets.stream().filter(changeSet -> !ChangesetFilters.mayStayPending(changeSet)).map(Changelog::id).toList();
    }

    private static List<ChangeSet> selected(List<ChangeSet> changeSets, String contexts, String labels) {
        ContextChangeSetFilter inContexts = new ContextChangeSetFilter(new Contexts(contexts));
        LabelChangeSetFilter withLabels = new LabelChangeSetFilter(new LabelExpression(labels));
        return changeSets.stream().filter(changeSet -> ChangesetFilters.runByUpdate(changeSet)
                && inContexts.accepts(changeSet).isAccepted() && withLabels.accepts(changeSet).isAccepted()).toList();
    }

    private static List<ChangeSet> parse(String master) {
        ResourceAccessor classpath = new ClasspathChangelog(Changelog.class.getClassLoader());
        try {
            return ChangeLogParserFactory.getInstance().getParser(master, classpath).parse(master, postgresParameters(), classpath).getChangeSets();
        } catch (LiquibaseException e) {
            throw new IllegalStateException("Cannot read the changelog " + master + ": " + e.getMessage(), e);
        }
    }

    private static Id id(ChangeSet changeSet) {
        return new Id(changeSet.getId(), changeSet.getAuthor(), changeSet.getFilePath());
    }

    /** Properties set for {@code dbms="postgresql"} take their value, as in update; {@link ChangesetFilters} judges changesets' dbms. */
    private static ChangeLogParameters postgresParameters() {
        ChangeLogParameters parameters = new ChangeLogParameters();
        parameters.setDatabase(new PostgresDatabase().getShortName());
        return parameters;
    }
}
