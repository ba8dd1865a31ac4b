package dev.keel.testdb;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import liquibase.resource.DirectoryResourceAccessor;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ChangelogChecksumsTest {

    @TempDir
    Path searchPath;

    @Test
    void namesTheFileAChangesetIsWrittenInWhateverItsLogicalFilePath() throws Exception {
        Files.createDirectories(searchPath.resolve("db/changelog/team"));
        Files.writeString(searchPath.resolve("db/changelog/master.yaml"), """
                databaseChangeLog:
                  - include: {file: team/00016-views.sql, relativeToChangelogFile: true}
                """);
        Files.writeString(searchPath.resolve("db/changelog/team/00016-views.sql"), """
                --liquibase formatted sql
                --changeset dave:80 logicalFilePath:console.xml runOnChange:true
                CREATE OR REPLACE VIEW answer AS SELECT 42 AS value;
                """);

        ChangelogChecksums.Checksums read = ChangelogChecksums.read("db/changelog/master.yaml", new DirectoryResourceAccessor(searchPath));

        assertThat(read.byChangeset()).containsOnlyKeys("console.xml::80::dave");
        assertThat(read.physicalFiles()).containsEntry("console.xml::80::dave", "db/changelog/team/00016-views.sql");
        assertThat(read.rerunnable()).containsExactly("console.xml::80::dave");
    }

    @Test
    void theFilesDigestChangesWithAPreconditionThatTheChecksumLeavesOut() throws Exception {
        Files.createDirectories(searchPath.resolve("db/changelog/changes"));
        Files.writeString(searchPath.resolve("db/changelog/master.yaml"), """
                databaseChangeLog:
                  - include: {file: changes/index.yaml, relativeToChangelogFile: true}
                """);
        String changeset = """
                databaseChangeLog:
                  - changeSet:
                      id: index
                      author: keycloak
                      preconditions: [{onFail: MARK_RAN}, %s]
                      changes:
                        - sql: CREATE INDEX ix_t ON t (id)
                """;
        Files.writeString(searchPath.resolve("db/changelog/changes/index.yaml"), changeset.formatted("{indexExists: {indexName: ix_t}}"));
        ChangelogChecksums.Checksums before = ChangelogChecksums.read("db/changelog/master.yaml", new DirectoryResourceAccessor(searchPath));
        Files.writeString(searchPath.resolve("db/changelog/changes/index.yaml"), changeset.formatted("{not: [{indexExists: {indexName: ix_t}}]}"));
        ChangelogChecksums.Checksums after = ChangelogChecksums.read("db/changelog/master.yaml", new DirectoryResourceAccessor(searchPath));

        assertThat(after.byChangeset()).as("Liquibase's checksum leaves preconditions out").isEqualTo(before.byChangeset());
        assertThat(after.filesDigest()).isNotEqualTo(before.filesDigest());
    }

    @Test
    void aChangeForPostgresqlCountsInTheChecksumAndOneForAnotherDatabaseDoesNot() throws Exception {
        Files.createDirectories(searchPath.resolve("db/changelog"));
        String changelog = """
                databaseChangeLog:
                  - changeSet:
                      id: per-database
                      author: metabase
                      changes:
                        - sql: {dbms: postgresql, sql: %s}
                        - sql: {dbms: mysql, sql: %s}
                """;
        Files.writeString(searchPath.resolve("db/changelog/master.yaml"), changelog.formatted("CREATE TABLE t (id int)", "CREATE TABLE t (id int)"));
        String before = ChangelogChecksums.of("db/changelog/master.yaml", new DirectoryResourceAccessor(searchPath)).values().iterator().next();
        Files.writeString(searchPath.resolve("db/changelog/master.yaml"), changelog.formatted("CREATE TABLE t (id bigint)", "CREATE TABLE t (id int)"));
        String postgresqlEdited = ChangelogChecksums.of("db/changelog/master.yaml", new DirectoryResourceAccessor(searchPath)).values().iterator().next();
        Files.writeString(searchPath.resolve("db/changelog/master.yaml"), changelog.formatted("CREATE TABLE t (id int)", "CREATE TABLE t (id bigint)"));
        String mysqlEdited = ChangelogChecksums.of("db/changelog/master.yaml", new DirectoryResourceAccessor(searchPath)).values().iterator().next();

        assertThat(postgresqlEdited).as("an edit of the SQL that PostgreSQL runs").isNotEqualTo(before);
        assertThat(mysqlEdited).as("update on PostgreSQL leaves the MySQL change out of the checksum it records").isEqualTo(before);
        assertThat(before).as("not the checksum of no change at all").isNotEqualTo("9:d41d8cd98f00b204e9800998ecf8427e");
    }

    @Test
    void substitutesThePropertiesThatTheChangelogSetsForPostgresqlAsUpdateDoes() throws Exception {
        Files.createDirectories(searchPath.resolve("db/changelog"));
        Files.writeString(searchPath.resolve("db/changelog/master.xml"), """
                <?xml version="1.0" encoding="UTF-8"?>
                <databaseChangeLog xmlns="http://www.liquibase.org/xml/ns/dbchangelog"
                        xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance"
                        xsi:schemaLocation="http://www.liquibase.org/xml/ns/dbchangelog http://www.liquibase.org/xml/ns/dbchangelog/dbchangelog-latest.xsd">
                    <property name="floatType" value="float" dbms="mysql, mariadb"/>
                    <property name="floatType" value="float4" dbms="postgresql, h2"/>
                    <changeSet id="with-property" author="jhipster">
                        <addColumn tableName="operation"><column name="amount" type="${floatType}"/></addColumn>
                    </changeSet>
                    <changeSet id="written-out" author="jhipster">
                        <addColumn tableName="operation"><column name="amount" type="float4"/></addColumn>
                    </changeSet>
                    <changeSet id="for-h2" author="jhipster" dbms="h2">
                        <addColumn tableName="operation"><column name="note" type="varchar(10)"/></addColumn>
                    </changeSet>
                </databaseChangeLog>
                """);

        java.util.Map<String, String> checksums = ChangelogChecksums.of("db/changelog/master.xml", new DirectoryResourceAccessor(searchPath));

        assertThat(checksums.get("db/changelog/master.xml::with-property::jhipster"))
                .as("the checksum update records on PostgreSQL").isEqualTo(checksums.get("db/changelog/master.xml::written-out::jhipster"));
        assertThat(checksums).as("a changeset for another dbms, listed as it always was").containsKey("db/changelog/master.xml::for-h2::jhipster");
    }
}
