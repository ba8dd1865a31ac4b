package dev.keel.backend.migrations;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class ChangelogTest {

    @Test
    void anIgnoredChangesetOneForOtherDatabasesOnlyOrOneUpdateMayLeaveUnrecordedIsNeverPending() {
        assertThat(Changelog.changesets("dbms-fixture/master.yaml", null, null)).extracting(Changelog.Id::id)
                .containsExactly("everywhere", "postgresql_only", "all_but_mssql", "faker_data", "reference_data");
    }

    @Test
    void theContextsAndLabelsTheDeploySelectsLeaveTheOthersOut() {
        assertThat(Changelog.changesets("dbms-fixture/master.yaml", "prod", null)).extracting(Changelog.Id::id)
                .containsExactly("everywhere", "postgresql_only", "all_but_mssql", "reference_data");
        assertThat(Changelog.changesets("dbms-fixture/master.yaml", null, "!reference")).extracting(Changelog.Id::id)
                .containsExactly("everywhere", "postgresql_only", "all_but_mssql", "faker_data");
    }
}
