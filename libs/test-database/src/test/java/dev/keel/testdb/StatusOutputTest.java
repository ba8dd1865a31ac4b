package dev.keel.testdb;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class StatusOutputTest {

    @Test
    void listsEachChangesetLineWhateverBlanksItsAuthorHasAndNothingElse() {
        String output = """
                [INFO] 2 changesets have not been applied to postgres@jdbc:postgresql://localhost:5432/keel
                [INFO]      db/changelog/changes/001.yaml::001::Jane Doe
                     liquibase/schema.yml::1.14.0::GraviteeSource Team
                [INFO]      db/changelog/changes/003.yaml::v2:backfill::ci

                WARNING Not in the changelog: db/changelog/changes/004.yaml::004::eve, which the database applied
                [INFO] WARNING Not in the changelog: db/changelog/changes/002.yaml::002::bob, which the database applied
                """;

        assertThat(StatusOutput.listed(output))
                .containsExactly("db/changelog/changes/001.yaml::001::Jane Doe", "liquibase/schema.yml::1.14.0::GraviteeSource Team",
                        "db/changelog/changes/003.yaml::v2:backfill::ci");
    }

    @Test
    void awaitingUpdateLeavesOutWhatStatusSaysUpdateMayNeverRecord() {
        String output = """
                [INFO] 3 changesets have not been applied to postgres@jdbc:postgresql://localhost:5432/keel
                [INFO]      db/changelog/changes/001.yaml::001::Jane Doe
                [INFO]      db/changelog/changes/002.yaml::only where legacy::bob
                [INFO]      db/changelog/changes/003.yaml::003::mariadb
                May stay pending: db/changelog/changes/002.yaml::only where legacy::bob continues past a failed precondition
                For other databases only: db/changelog/changes/003.yaml::003::mariadb has changes for other databases (dbms) only
                """;

        assertThat(StatusOutput.awaitingUpdate(output)).containsExactly("db/changelog/changes/001.yaml::001::Jane Doe");
    }
}
