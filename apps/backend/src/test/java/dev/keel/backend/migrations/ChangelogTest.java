package dev.keel.backend.migrations;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class ChangelogTest {

    @Test
    void anIgnoredChangesetOrOneForOtherDatabasesOnlyIsNeverPending() {
        assertThat(Changelog.changesets("dbms-fixture/master.yaml")).extracting(Changelog.Id::id)
                .containsExactly("everywhere", "postgresql_only", "all_but_mssql");
    }
}
