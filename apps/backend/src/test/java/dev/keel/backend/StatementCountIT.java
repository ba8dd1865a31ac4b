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

/** List endpoints issue the same number of SQL statements whatever the page size: no N+1. */
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

    private long statements(String path) {
        Statistics statistics = entityManagerFactory.unwrap(SessionFactory.class).getStatistics();
        statistics.clear();
        assertThat(api.get(path).status()).isEqualTo(200);
        return statistics.getPrepareStatementCount();
    }
}
