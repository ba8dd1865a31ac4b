package dev.keel.backend;

import static org.assertj.core.api.Assertions.assertThat;

import dev.keel.backend.testing.Api;
import dev.keel.backend.testing.ApiTestSupport;
import java.util.List;
import org.junit.jupiter.api.Test;

/** What operators and API clients get besides the API: health with the database, applied changesets, OpenAPI. */
class OperationsIT extends ApiTestSupport {

    @Test
    void healthIncludesTheDatabase() {
        Api.Response health = api.get("/actuator/health");

        assertThat(health.status()).isEqualTo(200);
        assertThat((String) health.json("$.components.db.status")).isEqualTo("UP");
    }

    @Test
    void listsTheAppliedChangesetsInOrder() {
        Api.Response changesets = api.get("/actuator/changesets");

        assertThat(changesets.status()).isEqualTo(200);
        List<String> ids = changesets.json("$[*].id");
        assertThat(ids).startsWith("20261124040000_create_users", "20261124040100_create_teams").contains("20261124050000_grant_app_role");
    }

    @Test
    void servesTheOpenApiDocumentAndSwaggerUi() {
        Api.Response openApi = api.get("/v3/api-docs");

        assertThat(openApi.status()).isEqualTo(200);
        assertThat(openApi.body()).contains("/api/users/{id}").contains("/api/teams/{id}/members/{userId}");
        assertThat(api.get("/swagger-ui/index.html").status()).isEqualTo(200);
    }
}
