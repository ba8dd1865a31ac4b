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

class RollbackFailuresTest {

    @TempDir
    Path folder;

    @Test
    void asksForARollbackInTheFormatTheChangesetIsWrittenInWhateverItsLogicalFilePath() throws Exception {
        Files.writeString(folder.resolve("team.sql"), "--liquibase formatted sql\n--changeset dave:80 logicalFilePath:console.xml\nSELECT 1;\n");
        Files.writeString(folder.resolve("other.yaml"), "databaseChangeLog:\n  - changeSet: {id: '1', author: ada, changes: [{sql: SELECT 1}]}\n");

        assertThat(parsed("team.sql").getFilePath()).isEqualTo("console.xml");
        assertThat(RollbackFailures.rollbackBlock(parsed("team.sql"))).isEqualTo("--rollback line");
        assertThat(RollbackFailures.rollbackBlock(parsed("other.yaml"))).isEqualTo("rollback: block");
    }

    private ChangeSet parsed(String file) throws Exception {
        DirectoryResourceAccessor accessor = new DirectoryResourceAccessor(folder);
        return ChangeLogParserFactory.getInstance().getParser(file, accessor).parse(file, new ChangeLogParameters(), accessor).getChangeSets().get(0);
    }
}
