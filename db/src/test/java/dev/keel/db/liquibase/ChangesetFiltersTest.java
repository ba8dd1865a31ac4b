package dev.keel.db.liquibase;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import liquibase.changelog.ChangeLogParameters;
import liquibase.changelog.ChangeSet;
import liquibase.parser.ChangeLogParserFactory;
import liquibase.resource.DirectoryResourceAccessor;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ChangesetFiltersTest {

    @TempDir
    Path searchPath;

    @Test
    void aChangesetForOtherDatabasesMayBeMarkedRanOnlyByAPreconditionThatSaysSo() throws Exception {
        Files.writeString(searchPath.resolve("master.yaml"), """
                databaseChangeLog:
                  - changeSet:
                      id: marked_ran_where_not_mysql
                      author: metabase
                      preConditions:
                        - onFail: MARK_RAN
                        - dbms: {type: mysql}
                      changes:
                        - sql: {dbms: mysql, sql: SELECT 1}
                  - changeSet:
                      id: for_mysql_without_precondition
                      author: metabase
                      changes:
                        - sql: {dbms: mysql, sql: SELECT 1}
                  - changeSet:
                      id: runs_here
                      author: metabase
                      preConditions:
                        - onFail: MARK_RAN
                        - dbms: {type: postgresql}
                      changes:
                        - sql: SELECT 1
                """);
        DirectoryResourceAccessor accessor = new DirectoryResourceAccessor(searchPath);

        assertThat(ChangeLogParserFactory.getInstance().getParser("master.yaml", accessor).parse("master.yaml", new ChangeLogParameters(), accessor)
                .getChangeSets()).filteredOn(ChangesetFilters::mayBeMarkedRan).extracting(ChangeSet::getId).containsExactly("marked_ran_where_not_mysql");
    }
}
