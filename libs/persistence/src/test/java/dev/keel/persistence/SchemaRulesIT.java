package dev.keel.persistence;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.keel.testdb.Catalog;
import dev.keel.testdb.TestPostgres;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The sample domain's rules, which live in the database as constraints: they hold whatever the application sends. */
class SchemaRulesIT {

    private Connection connection;

    @BeforeEach
    void connectToAMigratedDatabase() throws SQLException {
        connection = TestPostgres.server().connect(TestPostgres.createMigratedDatabase());
    }

    @AfterEach
    void close() throws SQLException {
        connection.close();
    }

    @Test
    void emailIsUniqueRegardlessOfCase() throws SQLException {
        execute("INSERT INTO users (email, display_name) VALUES ('Ada@example.com', 'Ada')");
        assertThatThrownBy(() -> execute("INSERT INTO users (email, display_name) VALUES ('ada@EXAMPLE.com', 'Ada 2')"))
                .hasMessageContaining("uq_users__email");
    }

    @Test
    void checksRejectBadRolesAndSlugs() throws SQLException {
        execute("INSERT INTO users (id, email, display_name) VALUES (1, 'ada@example.com', 'Ada')");
        execute("INSERT INTO teams (id, slug, name) VALUES (1, 'core-team', 'Core')");
        assertThatThrownBy(() -> execute("INSERT INTO teams (slug, name) VALUES ('Core Team', 'Core')"))
                .hasMessageContaining("ck_teams__slug_format");
        assertThatThrownBy(() -> execute("INSERT INTO team_memberships (team_id, user_id, role) VALUES (1, 1, 'guest')"))
                .hasMessageContaining("ck_team_memberships__role");
    }

    @Test
    void deletingATeamRemovesItsMembershipsButAMemberCannotBeDeleted() throws SQLException {
        execute("INSERT INTO users (id, email, display_name) VALUES (1, 'ada@example.com', 'Ada')");
        execute("INSERT INTO teams (id, slug, name) VALUES (1, 'core', 'Core'), (2, 'web', 'Web')");
        execute("INSERT INTO team_memberships (team_id, user_id, role) VALUES (1, 1, 'owner'), (2, 1, 'member')");

        assertThatThrownBy(() -> execute("DELETE FROM users WHERE id = 1")).hasMessageContaining("fk_team_memberships__user_id");
        execute("DELETE FROM teams WHERE id = 1");
        assertThat(Catalog.lines(connection, "SELECT team_id::text FROM team_memberships")).containsExactly("2");
    }

    private void execute(String sql) throws SQLException {
        try (Statement statement = connection.createStatement()) {
            statement.execute(sql);
        }
    }
}
