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
}
