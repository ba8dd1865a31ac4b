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
    void everyChangesetOfTheChangelogIsKnownSoNoneThatUpdateRecordedIsTakenForANewerVersions() {
        assertThat(Changelog.known("dbms-fixture/master.yaml")).as("a changeset for MySQL that a MARK_RAN precondition records here too")
                .contains("dbms-fixture/master.yaml::mysql_only_marked_ran::test", "dbms-fixture/master.yaml::ignored::test").hasSize(12);
    }

    @Test
    void theContextsAndLabelsTheDeploySelectsLeaveTheOthersOut() {
        assertThat(Changelog.changesets("dbms-fixture/master.yaml", "prod", null)).extracting(Changelog.Id::id)
                .containsExactly("everywhere", "postgresql_only", "all_but_mssql", "reference_data");
        assertThat(Changelog.changesets("dbms-fixture/master.yaml", null, "!reference")).extracting(Changelog.Id::id)
                .containsExactly("everywhere", "postgresql_only", "all_but_mssql", "faker_data");
    }
}
