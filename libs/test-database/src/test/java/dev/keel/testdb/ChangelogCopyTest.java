package dev.keel.testdb;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ChangelogCopyTest {

    @TempDir
    Path resources;

    @TempDir
    Path searchPath;

    @Test
    void copiesAChangelogUnderMetaInfButNotTheExtensionsServiceRegistrations() throws Exception {
        write("db/changelog/db.changelog-master.yaml", "databaseChangeLog: []\n");
        write("META-INF/jpa-changelog-master.xml", "<databaseChangeLog/>\n");
        write("META-INF/services/liquibase.command.CommandStep", "dev.keel.Step\n");

        ChangelogCopy.into(resources, searchPath);

        assertThat(searchPath.resolve("db/changelog/db.changelog-master.yaml")).hasContent("databaseChangeLog: []");
        assertThat(searchPath.resolve("META-INF/jpa-changelog-master.xml")).hasContent("<databaseChangeLog/>");
        assertThat(searchPath.resolve("META-INF/services")).doesNotExist();
    }

    private void write(String path, String text) throws Exception {
        Path file = resources.resolve(path);
        Files.createDirectories(file.getParent());
        Files.writeString(file, text);
    }
}
