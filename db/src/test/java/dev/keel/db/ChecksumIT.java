package dev.keel.db;

import static org.assertj.core.api.Assertions.assertThat;

import dev.keel.db.testing.Catalog;
import dev.keel.db.testing.ChangelogCopy;
import dev.keel.db.testing.MavenRun;
import dev.keel.db.testing.TestPostgres;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** An applied changeset that was edited afterwards makes {@code liquibase:update} refuse and change nothing. */
class ChecksumIT {

    private static final String HISTORY = "SELECT id || ' ' || md5sum FROM databasechangelog ORDER BY orderexecuted";

    @TempDir
    Path searchPath;

    @Test
    void refusesAnEditedChangesetAndAppliesNothing() throws Exception {
        String database = TestPostgres.createMigratedDatabase();
        ChangelogCopy.into(searchPath);
        Path users = searchPath.resolve("db/changelog/changes/20261124040000_create_users.yaml");
        Files.writeString(users, Files.readString(users).replace("BETWEEN 1 AND 100", "BETWEEN 1 AND 200"));
        Path master = searchPath.resolve("db/changelog/db.changelog-master.yaml");
        Files.writeString(master, Files.readString(master) + """
                  - changeSet:
                      id: checksum_it_pending
                      author: test
                      changes:
                        - createTable:
                            tableName: must_not_exist
                            columns:
                              - column: {name: id, type: int}
                """);

        List<String> before;
        List<String> history;
        try (Connection connection = TestPostgres.server().connect(database)) {
            before = Catalog.fingerprint(connection);
            history = Catalog.lines(connection, HISTORY);
        }
        MavenRun update = MavenRun.run(TestPostgres.server(), database, "liquibase:update", "-Dliquibase.searchPath=" + searchPath);

        assertThat(update.exitCode()).as(update.output()).isNotZero();
        assertThat(update.output()).contains("check sum").contains("20261124040000_create_users");
        try (Connection connection = TestPostgres.server().connect(database)) {
            assertThat(Catalog.fingerprint(connection)).containsExactlyElementsOf(before);
            assertThat(Catalog.lines(connection, HISTORY)).containsExactlyElementsOf(history);
        }
    }
}
