package dev.keel.db.released;

import static org.assertj.core.api.Assertions.assertThat;

import dev.keel.db.settings.Settings;
import dev.keel.db.testing.ChangelogCopy;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Plants edits on a copy of the changelog and its list, and checks that each one is caught. */
class ReleasedChangesetsGuardTest {

    private static final String USERS = "db/changelog/changes/20261124040000_create_users.yaml::20261124040000_create_users::keel";

    @TempDir
    Path copy;

    Path resources;
    Path list;

    @BeforeEach
    void copyTheChangelogAndItsList() throws IOException {
        resources = ChangelogCopy.into(copy.resolve("resources"));
        list = copy.resolve("released-changesets.txt");
        Files.copy(Settings.root().resolve(ReleasedChangesets.FILE), list);
        assertThat(ReleasedChangesets.problems(resources, list)).isEmpty();
    }

    @Test
    void reportsAnEditedReleasedChangeset() throws IOException {
        Path users = resources.resolve("db/changelog/changes/20261124040000_create_users.yaml");
        Files.writeString(users, Files.readString(users).replace("BETWEEN 1 AND 100", "BETWEEN 1 AND 120"));

        assertThat(ReleasedChangesets.problems(resources, list)).singleElement().asString()
                .startsWith(USERS + " was released but has changed").contains("put the change in a new changeset");
    }

    @Test
    void reportsARemovedReleasedChangeset() throws IOException {
        Path master = resources.resolve("db/changelog/db.changelog-master.yaml");
        Files.writeString(master, Files.readString(master).replace("""
                  - include:
                      file: changes/20261124050000_grant_app_role.yaml
                      relativeToChangelogFile: true
                """, ""));

        assertThat(ReleasedChangesets.problems(resources, list)).singleElement().asString()
                .startsWith("db/changelog/changes/20261124050000_grant_app_role.yaml::20261124050000_grant_app_role::keel was released but is no longer");
    }

    @Test
    void reportsAnUnrecordedChangesetUntilItIsRecordedAndNeverRewritesTheList() throws IOException {
        Path master = resources.resolve("db/changelog/db.changelog-master.yaml");
        Files.writeString(master, Files.readString(master) + """
                  - changeSet:
                      id: 20261124060000_add_users_phone
                      author: keel
                      changes:
                        - addColumn:
                            tableName: users
                            columns:
                              - column: {name: phone, type: text}
                """);
        assertThat(ReleasedChangesets.problems(resources, list)).singleElement().asString()
                .contains("20261124060000_add_users_phone::keel is not recorded").contains(ReleasedChangesets.RECORD_COMMAND);
        String before = Files.readString(list);

        assertThat(ReleasedChangesets.recordNew(resources, list)).singleElement().asString().endsWith("20261124060000_add_users_phone::keel");
        assertThat(Files.readString(list)).startsWith(before);
        assertThat(ReleasedChangesets.problems(resources, list)).isEmpty();
    }
}
