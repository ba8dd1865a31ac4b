package dev.keel.online;

import static org.assertj.core.api.Assertions.assertThat;

import dev.keel.db.liquibase.ChangelogFormat;
import dev.keel.online.ChangesetText.Step;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import liquibase.change.Change;
import liquibase.changelog.ChangeLogParameters;
import liquibase.changelog.ChangeSet;
import liquibase.database.core.PostgresDatabase;
import liquibase.parser.ChangeLogParserFactory;
import liquibase.resource.DirectoryResourceAccessor;
import liquibase.sqlgenerator.SqlGeneratorFactory;
import liquibase.statement.SqlStatement;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The rewrites' changesets read back by Liquibase's own parsers as the statements they were written from. */
class ChangesetTextTest {

    private static final String DO_BLOCK = "DO $$\nBEGIN\n  PERFORM 1;\n  PERFORM 2;\nEND $$";
    private static final String LITERAL = "COMMENT ON TABLE t IS 'two\nlines'";

    @TempDir
    Path root;

    @Test
    void eachFormatReadsBackAsTheStatementsAndTheRollbackItWasWrittenFrom() throws Exception {
        List<Step> steps = List.of(
                new Step("c1", true, "keel-allow drop: a -- b", List.of("SET LOCAL lock_timeout = '3s'", "UPDATE t SET a = 1 WHERE b < 2 AND c <> ']]>'"),
                        List.of(DO_BLOCK)),
                new Step("c1_more", false, null, List.of(DO_BLOCK, LITERAL), List.of()),
                new Step("c1_last", true, null, List.of(DO_BLOCK), List.of("SELECT 1", DO_BLOCK)));
        for (ChangelogFormat format : ChangelogFormat.values()) {
            String text = ChangesetText.changeSets(format, "Jane Doe", "Advice -- with --- dashes", steps);
            List<ChangeSet> parsed = parse(format, text);

            assertThat(parsed).as(format + ":\n" + text).hasSize(3);
            for (int i = 0; i < steps.size(); i++) {
                ChangeSet changeSet = parsed.get(i);
                assertThat(changeSet.getId()).isEqualTo(steps.get(i).id());
                assertThat(changeSet.getAuthor()).isEqualTo("Jane Doe");
                assertThat(changeSet.isRunInTransaction()).isEqualTo(steps.get(i).inTransaction());
                assertThat(sql(changeSet.getChanges())).as(format + " changes of " + steps.get(i).id() + ":\n" + text)
                        .containsExactlyElementsOf(steps.get(i).sqls());
                assertThat(sql(changeSet.getRollback().getChanges())).as(format + " rollback of " + steps.get(i).id() + ":\n" + text)
                        .containsExactlyElementsOf(steps.get(i).rollback());
            }
        }
    }

    @Test
    void eachFormatKeepsTheContextLabelsAndDbmsOfTheChangesetItReplacesAndNamesItsPreconditions() throws Exception {
        ChangesetText.Carried carried = new ChangesetText.Carried("prod and !test", "search,slow", "postgresql", true);
        List<Step> steps = List.of(new Step("c2", false, null, List.of("SELECT 1"), null), new Step("c2_validate", true, null, List.of("SELECT 2"), null));
        for (ChangelogFormat format : ChangelogFormat.values()) {
            String text = ChangesetText.changeSets(format, "Jane Doe", carried, null, steps);
            List<ChangeSet> parsed = parse(format, text);

            assertThat(parsed).as(format + ":\n" + text).hasSize(2).allSatisfy(changeSet -> {
                assertThat(changeSet.getContextFilter().getOriginalString()).as(format + ":\n" + text).isEqualTo("prod and !test");
                assertThat(changeSet.getLabels().toString()).as(format + ":\n" + text).isEqualTo("search,slow");
                assertThat(changeSet.getDbmsSet()).as(format + ":\n" + text).containsExactly("postgresql");
            });
            assertThat(text).contains("Copy the replaced changeset's preConditions into the first changeset below");
        }
    }

    private List<ChangeSet> parse(ChangelogFormat format, String text) throws Exception {
        String body = switch (format) {
            case YAML -> "databaseChangeLog:\n" + text.indent(2);
            case JSON -> "{\"databaseChangeLog\": [\n" + text + "]}\n";
            case XML -> "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<databaseChangeLog xmlns=\"http://www.liquibase.org/xml/ns/dbchangelog\""
                    + " xmlns:xsi=\"http://www.w3.org/2001/XMLSchema-instance\" xsi:schemaLocation=\"http://www.liquibase.org/xml/ns/dbchangelog"
                    + " http://www.liquibase.org/xml/ns/dbchangelog/dbchangelog-latest.xsd\">\n" + text + "</databaseChangeLog>\n";
            case SQL -> "-- liquibase formatted sql\n\n" + text;
        };
        String file = "rewrite." + format.name().toLowerCase(java.util.Locale.ROOT);
        Files.writeString(root.resolve(file), body);
        DirectoryResourceAccessor accessor = new DirectoryResourceAccessor(root);
        return ChangeLogParserFactory.getInstance().getParser(file, accessor).parse(file, new ChangeLogParameters(), accessor).getChangeSets();
    }

    /** The statements the changes send, as their SQL, without the empty change. */
    private static List<String> sql(List<Change> changes) {
        PostgresDatabase database = new PostgresDatabase();
        List<String> sql = new ArrayList<>();
        for (Change change : changes) {
            for (SqlStatement statement : change.generateStatements(database)) {
                for (liquibase.sql.Sql generated : SqlGeneratorFactory.getInstance().generateSql(statement, database)) {
                    sql.add(generated.toSql().strip());
                }
            }
        }
        return sql;
    }
}
