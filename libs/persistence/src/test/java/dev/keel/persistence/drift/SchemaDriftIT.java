package dev.keel.persistence.drift;

import static org.assertj.core.api.Assertions.assertThat;

import dev.keel.db.testing.TestPostgres;
import java.sql.Connection;
import org.junit.jupiter.api.Test;

/** The entities and the changelog agree; planted drift is reported precisely. */
class SchemaDriftIT {

    @Test
    void entitiesMatchTheChangelogWithoutNoise() throws Exception {
        SchemaDrift.Report report;
        try (Connection connection = TestPostgres.server().connect(TestPostgres.createMigratedDatabase())) {
            report = SchemaDrift.compare("dev.keel.persistence", connection);
        }

        assertThat(report.failures()).as("drift between the entities and the changelog:%n%s%nFix it with: %s",
                String.join(System.lineSeparator(), report.failures()), GenerateChangeset.COMMAND.replace("<Name>", "DescribeTheChange")).isEmpty();
        assertThat(report.extras()).as("objects no entity maps (reported, not failing)")
                .anyMatch(extra -> extra.contains("uq_users__email"))
                .anyMatch(extra -> extra.contains("ix_team_memberships__user_id"))
                .noneMatch(extra -> extra.contains("databasechangelog"));
    }

    @Test
    void reportsAMissingTableColumnUniqueKeyForeignKeyLengthAndNullability() throws Exception {
        SchemaDrift.Report report;
        try (Connection connection = TestPostgres.server().connect(TestPostgres.createMigratedDatabase())) {
            report = SchemaDrift.compare("dev.keel.driftfixture", connection);
        }

        assertThat(report.failures())
                .anyMatch(failure -> failure.startsWith("missing table widgets"))
                .anyMatch(failure -> failure.startsWith("missing column") && failure.contains("users.phone"))
                .anyMatch(failure -> failure.startsWith("missing") && failure.contains("widgets") && failure.contains("code"))
                .anyMatch(failure -> failure.startsWith("missing foreignkey") && failure.contains("widgets[team_id] -> teams[id]"))
                .contains("column teams.name: the entity limits it to 200 characters, the database's CHECK to 100")
                .contains("column users.email: the entity says nullable=true, the database says nullable=false");
    }
}
