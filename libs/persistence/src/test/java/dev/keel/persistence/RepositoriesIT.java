package dev.keel.persistence;

import static org.assertj.core.api.Assertions.assertThat;

import dev.keel.persistence.config.PersistenceAutoConfiguration;
import dev.keel.persistence.teams.Team;
import dev.keel.persistence.teams.TeamMembership;
import dev.keel.persistence.teams.TeamMembershipRepository;
import dev.keel.persistence.teams.TeamRepository;
import dev.keel.persistence.teams.TeamRole;
import dev.keel.testdb.TestDatabaseConfiguration;
import dev.keel.persistence.users.User;
import dev.keel.persistence.users.UserRepository;
import jakarta.persistence.EntityManager;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.autoconfigure.ImportAutoConfiguration;
import org.springframework.boot.data.jpa.test.autoconfigure.DataJpaTest;
import org.springframework.boot.jdbc.test.autoconfigure.AutoConfigureTestDatabase;
import org.springframework.context.annotation.Import;
import org.springframework.data.domain.PageRequest;
import org.springframework.data.domain.Sort;

/**
 * The repositories against real PostgreSQL after Liquibase has run, as the application role, with
 * Hibernate validating every entity against the migrated schema.
 */
@DataJpaTest(properties = {
    "spring.jpa.hibernate.ddl-auto=validate",
    "logging.level.root=WARN",
    "logging.level.org.testcontainers.dockerclient=OFF"
})
@AutoConfigureTestDatabase(replace = AutoConfigureTestDatabase.Replace.NONE)
@ImportAutoConfiguration(PersistenceAutoConfiguration.class)
@Import(TestDatabaseConfiguration.class)
class RepositoriesIT {

    @Autowired
    UserRepository users;

    @Autowired
    TeamRepository teams;

    @Autowired
    TeamMembershipRepository memberships;

    @Autowired
    EntityManager entityManager;

    @Test
    void findsUsersByEmailPrefixRegardlessOfCase() {
        users.saveAndFlush(new User("ada@example.com", "Ada"));
        users.saveAndFlush(new User("Adele@example.com", "Adele"));
        users.saveAndFlush(new User("bob@example.com", "Bob"));

        assertThat(users.findByEmailStartingWithIgnoreCase("AD", PageRequest.of(0, 10, Sort.by("email"))).map(User::getEmail))
                .containsExactly("Adele@example.com", "ada@example.com");
    }

    @Test
    void setsTimestampsAndBumpsTheVersionOnUpdate() {
        User user = users.saveAndFlush(new User("ada@example.com", "Ada"));
        assertThat(user.getCreatedAt()).isNotNull();
        assertThat(user.getVersion()).isZero();

        user.setDisplayName("Ada L.");
        users.saveAndFlush(user);

        assertThat(user.getVersion()).isEqualTo(1);
    }

    @Test
    void loadsMembersWithTheirUsersInOneQuery() {
        Team team = teams.saveAndFlush(new Team("core", "Core"));
        User ada = users.saveAndFlush(new User("ada@example.com", "Ada"));
        User bob = users.saveAndFlush(new User("bob@example.com", "Bob"));
        memberships.saveAndFlush(new TeamMembership(team, ada, TeamRole.OWNER));
        memberships.saveAndFlush(new TeamMembership(team, bob, TeamRole.MEMBER));
        entityManager.clear();

        var members = memberships.findByTeamIdWithUsers(team.getId());

        assertThat(members).extracting(m -> m.getUser().getDisplayName()).containsExactly("Ada", "Bob");
        assertThat(members).extracting(TeamMembership::getRole).containsExactly(TeamRole.OWNER, TeamRole.MEMBER);
        assertThat(entityManager.getEntityManagerFactory().getPersistenceUnitUtil().isLoaded(members.get(0).getUser())).isTrue();
    }
}
