package dev.keel.migrations;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import liquibase.resource.DirectoryResourceAccessor;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The jar's note when the changelog has changesets for some contexts and the command selects none. */
class EveryContextNoteTest {

    @TempDir
    Path root;

    @Test
    void namesTheContextsOfTheChangesetsAnUpdateWithoutContextsWouldTakeAll() throws Exception {
        Files.writeString(root.resolve("master.yaml"), """
                databaseChangeLog:
                  - changeSet: {id: schema, author: t, changes: [{sql: {sql: SELECT 1}}]}
                  - changeSet: {id: fake_users, author: t, context: faker, changes: [{sql: {sql: SELECT 2}}]}
                  - changeSet: {id: other_database, author: t, context: legacy, dbms: mssql, changes: [{sql: {sql: SELECT 3}}]}
                  - changeSet: {id: not_for_cuba, author: t, context: "!cuba", changes: [{sql: {sql: SELECT 5}}]}
                  - changeSet: {id: not_for_tests, author: t, context: "not test and !cuba", changes: [{sql: {sql: SELECT 6}}]}
                  - include: {file: test.yaml, relativeToChangelogFile: true, context: test}
                """);
        Files.writeString(root.resolve("test.yaml"), """
                databaseChangeLog:
                  - changeSet: {id: test_rows, author: t, changes: [{sql: {sql: SELECT 4}}]}
                """);

        String note = Migrations.everyContextNote(new DirectoryResourceAccessor(root), "master.yaml");

        assertThat(note).isEqualTo("Note: 2 changesets of the changelog have a context (faker; test) and this command selects no contexts,"
                + " so it takes them all. If the build's checks ran with LIQUIBASE_COMMAND_CONTEXTS, give the job the same (or"
                + " --context-filter=...).");
    }

    @Test
    void aContextAnExpressionOnlyLeavesOutIsNoneADeploySelects() {
        assertThat(Migrations.namesAContext("faker")).isTrue();
        assertThat(Migrations.namesAContext("!cuba and prod")).isTrue();
        assertThat(Migrations.namesAContext("!cuba")).isFalse();
        assertThat(Migrations.namesAContext("not test and !cuba")).isFalse();
    }

    @Test
    void saysNothingOfAChangelogWithoutContexts() throws Exception {
        Files.writeString(root.resolve("master.yaml"), """
                databaseChangeLog:
                  - changeSet: {id: schema, author: t, changes: [{sql: {sql: SELECT 1}}]}
                """);

        assertThat(Migrations.everyContextNote(new DirectoryResourceAccessor(root), "master.yaml")).isNull();
    }
}
