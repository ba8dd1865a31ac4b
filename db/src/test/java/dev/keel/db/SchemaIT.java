package dev.keel.db;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.keel.db.testing.Catalog;
import dev.keel.db.testing.TestPostgres;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The schema that an update from an empty database yields, read from PostgreSQL's catalog. */
class SchemaIT {

    private Connection connection;

    @BeforeEach
    void migrateEmptyDatabase() throws SQLException {
        String database = TestPostgres.createEmptyDatabase();
        TestPostgres.migrate(database);
        connection = TestPostgres.server().connect(database);
    }

    @AfterEach
    void close() throws SQLException {
        connection.close();
    }

    @Test
    void createsExactlyTheDomainTables() throws SQLException {
        assertThat(Catalog.lines(connection, """
                SELECT table_name FROM information_schema.tables
                 WHERE table_schema = 'public' AND table_name NOT LIKE 'databasechangelog%' ORDER BY 1"""))
                .containsExactly("team_memberships", "teams", "users");
    }

    @Test
    void columnsHaveTheExpectedTypesAndNullability() throws SQLException {
        assertThat(Catalog.lines(connection, """
                SELECT table_name || '.' || column_name || ' ' || data_type || ' ' || is_nullable
                       || CASE WHEN is_identity = 'YES' THEN ' identity' ELSE '' END
                  FROM information_schema.columns
                 WHERE table_schema = 'public' AND table_name NOT LIKE 'databasechangelog%'
                 ORDER BY table_name, ordinal_position"""))
                .containsExactly(
                        "team_memberships.team_id bigint NO",
                        "team_memberships.user_id bigint NO",
                        "team_memberships.role text NO",
                        "team_memberships.created_at timestamp with time zone NO",
                        "teams.id bigint NO identity",
                        "teams.slug text NO",
                        "teams.name text NO",
                        "teams.created_at timestamp with time zone NO",
                        "teams.updated_at timestamp with time zone NO",
                        "teams.version bigint NO",
                        "users.id bigint NO identity",
                        "users.email text NO",
                        "users.display_name text NO",
                        "users.created_at timestamp with time zone NO",
                        "users.updated_at timestamp with time zone NO",
                        "users.version bigint NO");
    }

    @Test
    void everyConstraintIsNamedByTheConvention() throws SQLException {
        assertThat(Catalog.lines(connection, """
                SELECT conname || ' ' || contype::text || ' ' || pg_get_constraintdef(oid) FROM pg_constraint
                 WHERE connamespace = 'public'::regnamespace AND conrelid::regclass::text NOT LIKE 'databasechangelog%'
                 ORDER BY 1"""))
                .containsExactly(
                        "ck_team_memberships__role c CHECK ((role = ANY (ARRAY['owner'::text, 'admin'::text, 'member'::text])))",
                        "ck_teams__name_length c CHECK (((char_length(name) >= 1) AND (char_length(name) <= 100)))",
                        "ck_teams__slug_format c CHECK ((slug ~ '^[a-z0-9]+(-[a-z0-9]+)*$'::text))",
                        "ck_teams__slug_length c CHECK (((char_length(slug) >= 2) AND (char_length(slug) <= 63)))",
                        "ck_users__display_name_length c CHECK (((char_length(display_name) >= 1) AND (char_length(display_name) <= 100)))",
                        "ck_users__email_format c CHECK ((email ~ '^[^@[:space:]]+@[^@[:space:]]+$'::text))",
                        "ck_users__email_length c CHECK (((char_length(email) >= 3) AND (char_length(email) <= 320)))",
                        "fk_team_memberships__team_id f FOREIGN KEY (team_id) REFERENCES teams(id) ON DELETE CASCADE",
                        "fk_team_memberships__user_id f FOREIGN KEY (user_id) REFERENCES users(id) ON DELETE RESTRICT",
                        "pk_team_memberships p PRIMARY KEY (team_id, user_id)",
                        "pk_teams p PRIMARY KEY (id)",
                        "pk_users p PRIMARY KEY (id)",
                        "uq_teams__slug u UNIQUE (slug)");
        assertThat(Catalog.lines(connection, """
                SELECT indexname || ' ' || indexdef FROM pg_indexes
                 WHERE schemaname = 'public' AND indexname NOT LIKE 'pk_%' AND indexname NOT LIKE 'uq_teams%'
                   AND tablename NOT LIKE 'databasechangelog%' ORDER BY 1"""))
                .containsExactly(
                        "ix_team_memberships__user_id CREATE INDEX ix_team_memberships__user_id ON public.team_memberships USING btree (user_id)",
                        "uq_users__email CREATE UNIQUE INDEX uq_users__email ON public.users USING btree (lower(email))");
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
