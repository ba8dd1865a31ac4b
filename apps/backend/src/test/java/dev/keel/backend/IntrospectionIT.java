package dev.keel.backend;

import static org.assertj.core.api.Assertions.assertThat;

import dev.keel.backend.testing.Api;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.springframework.boot.web.server.context.WebServerApplicationContext;
import org.springframework.context.ConfigurableApplicationContext;

/**
 * The service as {@code spring-boot:test-run} starts it ({@link TestBackendApplication}), where keel.introspection.enabled
 * turns on Swagger UI, the OpenAPI document and the applied changesets.
 */
class IntrospectionIT {

    private static ConfigurableApplicationContext service;
    private static Api api;

    @BeforeAll
    static void start() {
        service = TestBackendApplication.run("--server.port=0");
        api = new Api(((WebServerApplicationContext) service).getWebServer().getPort());
    }

    @AfterAll
    static void stop() {
        service.close();
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
        assertThat(api.get("/swagger-ui.html").status()).isEqualTo(302);
        assertThat(api.get("/swagger-ui/index.html").status()).isEqualTo(200);
        assertThat((String) api.get("/api/nowhere").json("$.detail")).isEqualTo("No endpoint GET /api/nowhere. The API is described at /v3/api-docs.");
    }
}
