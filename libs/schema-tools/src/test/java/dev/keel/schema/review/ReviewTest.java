package dev.keel.schema.review;

import static org.assertj.core.api.Assertions.assertThat;

import dev.keel.online.Finding;
import dev.keel.online.OnlineRule;
import java.util.List;
import org.junit.jupiter.api.Test;

class ReviewTest {

    @Test
    void splitsUpdateSqlByChangesetWhateverTheAuthorsNameAndDropsLiquibasesBookkeeping() {
        String updateSql = """
                -- Lock Database
                -- Changeset db/changelog/a.yaml::a::Jane Doe
                CREATE TABLE a (id int);

                INSERT INTO public.databasechangelog (ID, AUTHOR) VALUES ('a', 'Jane Doe');

                -- Changeset db/changelog/b.sql::b::ci
                ALTER TABLE a
                    ADD COLUMN b text;

                -- Changeset db/changelog/c.sql::c::ci
                CREATE FUNCTION risk(score int) RETURNS text AS $$
                BEGIN
                    IF score >= 50 THEN RETURN 'HIGH';
                    END IF;
                    RETURN 'LOW';
                END $$ LANGUAGE plpgsql;

                -- Changeset db/changelog/d.xml::d-data::jhipster
                WARNING: This statement uses a prepared statement which cannot be execute directly by this script. Only works in 'update' mode
                WARNING: This statement uses a prepared statement which cannot be execute directly by this script. Only works in 'update' mode

                INSERT INTO public.databasechangelog (ID, AUTHOR) VALUES ('d-data', 'jhipster');

                -- Release Database Lock
                UPDATE databasechangeloglock SET LOCKED = FALSE;
                """;

        assertThat(Review.byChangeSet(updateSql))
                .containsEntry("db/changelog/a.yaml::a::Jane Doe", "CREATE TABLE a (id int);")
                .containsEntry("db/changelog/b.sql::b::ci", "ALTER TABLE a\n    ADD COLUMN b text;")
                .containsEntry("db/changelog/c.sql::c::ci", """
                        CREATE FUNCTION risk(score int) RETURNS text AS $$
                        BEGIN
                            IF score >= 50 THEN RETURN 'HIGH';
                            END IF;
                            RETURN 'LOW';
                        END $$ LANGUAGE plpgsql;""")
                .as("Liquibase's warning for what it cannot render, as a comment, without the history's row")
                .containsEntry("db/changelog/d.xml::d-data::jhipster", "-- WARNING: This statement uses a prepared statement which cannot be"
                        + " execute directly by this script. Only works in 'update' mode")
                .hasSize(4);
    }

    @Test
    void fencesEachSafeRewriteInTheLanguageOfItsChangesetsFile() {
        Finding finding = new Finding(OnlineRule.INDEX_NOT_CONCURRENT, "db/changelog/b.sql::b::ci", "CREATE INDEX ix ON t (c)", "SHARE on t",
                "--changeset ci:b runInTransaction:false\nCREATE INDEX CONCURRENTLY ix ON t (c);", "t", null);
        Review.Item item = new Review.Item(finding.changeSet(), "db/changelog/b.sql", 2, "CREATE INDEX ix ON t (c);", List.of(finding), List.of(), List.of(), null, false);

        assertThat(ReviewFormats.markdown(new Review.Result(null, List.of(item), "", List.of())))
                .contains("Safe rewrite:\n\n```sql\n--changeset ci:b runInTransaction:false\n");
    }

    @Test
    void showsEachAllowedFindingWithItsRuleAndTheReasonGivenInEveryFormat() {
        Finding finding = new Finding(OnlineRule.DROP, "db/changelog/d.yaml::d::ci", "DROP TABLE legacy", "ACCESS EXCLUSIVE on legacy",
                "keel-allow drop: <why>", "legacy", null);
        Review.Item item = new Review.Item(finding.changeSet(), "db/changelog/d.yaml", 3, "DROP TABLE legacy;", List.of(),
                List.of(new Review.Suppressed(finding, "no release reads legacy\n  since 2.0")), List.of(), null, false);
        Review.Result result = new Review.Result(null, List.of(item), "", List.of());

        assertThat(ReviewFormats.markdown(result)).doesNotContain("online-safe").contains("| 0 error(s), 0 warning(s), 1 allowed |",
                "**ALLOWED `drop`** — no release reads legacy since 2.0\n", "- statement: `DROP TABLE legacy`", "- trace: ACCESS EXCLUSIVE on legacy");
        assertThat(ReviewFormats.annotations(result)).isEqualTo("::notice file=db/changelog/d.yaml,line=3,title=drop (allowed)::"
                + "allowed by the changeset's comment: no release reads legacy since 2.0 (DROP TABLE legacy)\n");
        assertThat(ReviewFormats.json(result)).contains("\"findings\" : [ ]", "\"suppressed\" : [ {", "\"rule\" : \"drop\"",
                "\"reason\" : \"no release reads legacy since 2.0\"", "\"trace\" : \"ACCESS EXCLUSIVE on legacy\"");
    }

    @Test
    void showsNoEmptySqlBlockForAReleasedChangesetThatChangedOrOneThatRendersNoSql() {
        Review.Item edited = new Review.Item("db/changelog/a.yaml::1::ci", "db/changelog/a.yaml", 3, "", List.of(), List.of(),
                List.of("was released but has changed"), null, true);
        Review.Item elsewhere = new Review.Item("db/changelog/b.yaml::2::ci", "db/changelog/b.yaml", 3, "", List.of(), List.of(), List.of(), null, false);

        String markdown = ReviewFormats.markdown(new Review.Result(null, List.of(edited, elsewhere), "", List.of()));

        assertThat(markdown).doesNotContain("```sql\n\n```").contains("1 changeset not on the main line yet, and 1 released changeset this branch changes.\n",
                "**ERROR**: was released but has changed\n",
                "No SQL: `liquibase:updateSQL` renders none for this changeset on PostgreSQL.");
    }

    @Test
    void aChangesetTheContextsLeaveOutIsNotCheckedNotOnlineSafe() {
        Review.Item faker = new Review.Item("db/changelog/f.yaml::f::ci", "db/changelog/f.yaml", 3, "", List.of(), List.of(), List.of(),
                "LIQUIBASE_COMMAND_CONTEXTS=prod leaves it out of the update", false);

        String markdown = ReviewFormats.markdown(new Review.Result(null, List.of(faker), "", List.of()));

        assertThat(markdown).doesNotContain("online-safe").doesNotContain("No SQL").contains("| [`db/changelog/f.yaml::f::ci`](#1-f) | not checked |",
                "Not checked: LIQUIBASE_COMMAND_CONTEXTS=prod leaves it out of the update.\n");
    }

    @Test
    void linksEachChangesetToItsOwnSectionWhereIdsRepeatAcrossFiles() {
        Review.Item first = new Review.Item("db/changelog/a.xml::1::ci", "db/changelog/a.xml", 3, "SELECT 1;", List.of(), List.of(), List.of(), null, false);
        Review.Item second = new Review.Item("db/changelog/b.xml::1::ci", "db/changelog/b.xml", 3, "SELECT 2;", List.of(), List.of(), List.of("broken"), null, false);

        String markdown = ReviewFormats.markdown(new Review.Result(null, List.of(first, second), "", List.of()));

        assertThat(markdown).contains("| [`db/changelog/a.xml::1::ci`](#1-1) |", "| [`db/changelog/b.xml::1::ci`](#2-1) |",
                "\n### 1. 1\n", "\n### 2. 1\n");
        assertThat(ReviewFormats.anchor("2. 20261201_add_user_phone")).isEqualTo("2-20261201_add_user_phone");
        assertThat(Review.idOf("db/changelog/a.yaml::release::2.1::ci")).isEqualTo("release::2.1");
    }

    @Test
    void findsTheLineOfTheChangesetsIdInYamlXmlAndFormattedSql(@org.junit.jupiter.api.io.TempDir java.nio.file.Path folder) throws Exception {
        java.nio.file.Path yaml = java.nio.file.Files.writeString(folder.resolve("c.yaml"), "databaseChangeLog:\n  - changeSet:\n      id: c\n");
        java.nio.file.Path xml = java.nio.file.Files.writeString(folder.resolve("c.xml"), "<databaseChangeLog>\n\n<changeSet id=\"c\" author=\"x\">\n");
        java.nio.file.Path sql = java.nio.file.Files.writeString(folder.resolve("c.sql"), "--liquibase formatted sql\n--changeset x:c\nSELECT 1;\n");

        assertThat(Review.lineOf(yaml, "c.yaml::c::x")).isEqualTo(3);
        assertThat(Review.lineOf(xml, "c.xml::c::x")).isEqualTo(3);
        assertThat(Review.lineOf(sql, "c.sql::c::x")).isEqualTo(2);
    }

    @Test
    void findsTheChangesetOfItsAuthorWhereTwoShareTheId(@org.junit.jupiter.api.io.TempDir java.nio.file.Path folder) throws Exception {
        java.nio.file.Path yaml = java.nio.file.Files.writeString(folder.resolve("d.yaml"), """
                databaseChangeLog:
                  - changeSet:
                      id: "80"
                      author: carol
                  - changeSet:
                      id: "80"
                      author: dave
                """);
        java.nio.file.Path sql = java.nio.file.Files.writeString(folder.resolve("d.sql"),
                "--liquibase formatted sql\n--changeset carol:80\nSELECT 1;\n--changeset dave:80\nSELECT 2;\n");

        java.nio.file.Path xml = java.nio.file.Files.writeString(folder.resolve("d.xml"),
                "<databaseChangeLog>\n<changeSet id=\"80\" author=\"carol\">\n</changeSet>\n<changeSet id=\"80\" author=\"dave\">\n");

        assertThat(Review.lineOf(yaml, "d.yaml::80::dave")).isEqualTo(6);
        assertThat(Review.lineOf(xml, "d.xml::80::dave")).isEqualTo(4);
        assertThat(Review.lineOf(xml, "d.xml::80::carol")).isEqualTo(2);
        assertThat(Review.lineOf(sql, "d.sql::80::dave")).isEqualTo(4);
        assertThat(Review.lineOf(sql, "d.sql::80::carol")).isEqualTo(2);
    }
}
