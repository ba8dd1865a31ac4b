package dev.keel.backend;

import static dev.keel.backend.testing.Samples.aRole;
import static dev.keel.backend.testing.Samples.aTeam;
import static dev.keel.backend.testing.Samples.aUser;
import static org.assertj.core.api.Assertions.assertThat;

import dev.keel.backend.testing.ApiTestSupport;
import jakarta.persistence.EntityManagerFactory;
import org.hibernate.SessionFactory;
import org.hibernate.stat.Statistics;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.test.context.TestPropertySource;

/**
 * Round trips per request: list endpoints issue the same number of SQL statements whatever the page size (no N+1),
 * and a read by id is one statement with no transaction around it.
 */
@TestPropertySource(properties = "spring.jpa.properties.hibernate.generate_statistics=true")
class StatementCountIT extends ApiTestSupport {

    @Autowired
    EntityManagerFactory entityManagerFactory;

    @Test
    void listingUsersTakesTheSameStatementsForFiveOrFiftyRows() {
        for (int i = 0; i < 120; i++) {
            api.post("/api/users", aUser("n-plus-one-" + i + "@example.com"));
        }

        long five = statements("/api/users?size=5");
        long fifty = statements("/api/users?size=50");

        assertThat(five).isPositive().isEqualTo(fifty);
    }

    @Test
    void listingMembersTakesTheSameStatementsForTwoOrTwentyMembers() {
        long small = api.post("/api/teams", aTeam("small")).id();
        long large = api.post("/api/teams", aTeam("large")).id();
        for (int i = 0; i < 20; i++) {
            long user = api.post("/api/users", aUser("member-" + i + "@example.com")).id();
            api.put("/api/teams/" + large + "/members/" + user, aRole("member"));
            if (i < 2) {
                api.put("/api/teams/" + small + "/members/" + user, aRole("member"));
            }
        }

        assertThat(statements("/api/teams/" + small + "/members")).isPositive().isEqualTo(statements("/api/teams/" + large + "/members"));
    }

    @Test
    void readingOneUserOrTeamIsOneStatementWithoutATransactionAndCreatingOneIsOneTransaction() {
        Statistics statistics = entityManagerFactory.unwrap(SessionFactory.class).getStatistics();
        statistics.clear();
        long user = api.post("/api/users", aUser("round-trips@example.com")).id();
        long team = api.post("/api/teams", aTeam("round-trips")).id();
        assertThat(statistics.getTransactionCount()).isEqualTo(2);
        assertThat(statistics.getPrepareStatementCount()).isEqualTo(2);

        for (String path : new String[] {"/api/users/" + user, "/api/teams/" + team}) {
            statistics.clear();
            assertThat(api.get(path).status()).isEqualTo(200);
            assertThat(statistics.getPrepareStatementCount()).as(path).isEqualTo(1);
            assertThat(statistics.getTransactionCount()).as(path + ": BEGIN and COMMIT around one SELECT buy nothing").isZero();
        }
    }

    private long statements(String path) {
        Statistics statistics = entityManagerFactory.unwrap(SessionFactory.class).getStatistics();
        statistics.clear();
        assertThat(api.get(path).status()).isEqualTo(200);
        return statistics.getPrepareStatementCount();
    }
}
