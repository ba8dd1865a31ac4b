package dev.keel.db;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.keel.db.testing.Catalog;
import dev.keel.db.testing.TestPostgres;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The role the service connects as reads and writes rows, but the database refuses it any DDL. */
class AppRoleIT {

    private Connection app;

    @BeforeEach
    void connectAsAppRole() throws SQLException {
        String database = TestPostgres.createMigratedDatabase();
        app = DriverManager.getConnection(TestPostgres.server().jdbcUrl(database), TestPostgres.APP_ROLE, TestPostgres.APP_PASSWORD);
    }

    @AfterEach
    void close() throws SQLException {
        app.close();
    }

    @Test
    void readsAndWritesRows() throws SQLException {
        execute("INSERT INTO users (email, display_name) VALUES ('ada@example.com', 'Ada')");
        execute("INSERT INTO teams (slug, name) VALUES ('core', 'Core')");
        execute("INSERT INTO team_memberships (team_id, user_id, role) SELECT t.id, u.id, 'owner' FROM teams t, users u");
        execute("UPDATE users SET display_name = 'Ada L.'");
        assertThat(Catalog.lines(app, "SELECT display_name FROM users")).containsExactly("Ada L.");
        assertThat(Catalog.lines(app, "SELECT count(*)::text FROM databasechangelog")).isNotEmpty();
        execute("DELETE FROM team_memberships");
        execute("DELETE FROM users");
    }

    @Test
    void ownsNeitherTheSchemaNorItsTables() throws SQLException {
        assertThat(Catalog.lines(app, "SELECT nspowner::regrole::text FROM pg_namespace WHERE nspname = 'public'"))
                .doesNotContain(TestPostgres.APP_ROLE);
        assertThat(Catalog.lines(app, "SELECT tablename FROM pg_tables WHERE schemaname = 'public' AND tableowner = current_user")).isEmpty();
        assertThat(Catalog.lines(app, "SELECT count(*)::text FROM pg_tables WHERE schemaname = 'public'")).doesNotContain("0");
    }

    @Test
    void cannotCreateAlterOrDropTables() {
        assertThatThrownBy(() -> execute("CREATE TABLE sneaky (id int)")).hasMessageContaining("permission denied for schema public");
        assertThatThrownBy(() -> execute("ALTER TABLE users ADD COLUMN sneaky int")).hasMessageContaining("must be owner of table users");
        assertThatThrownBy(() -> execute("DROP TABLE teams")).hasMessageContaining("must be owner of table teams");
        assertThatThrownBy(() -> execute("DELETE FROM databasechangelog")).hasMessageContaining("permission denied for table databasechangelog");
    }

    private void execute(String sql) throws SQLException {
        try (Statement statement = app.createStatement()) {
            statement.execute(sql);
        }
    }
}
