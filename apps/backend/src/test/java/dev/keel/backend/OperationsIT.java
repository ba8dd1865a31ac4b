package dev.keel.backend;

import static org.assertj.core.api.Assertions.assertThat;

import dev.keel.backend.testing.ApiTestSupport;
import org.junit.jupiter.api.Test;

/** What operators get besides the API, with the settings as they ship: health with the database, and nothing that describes the service. */
class OperationsIT extends ApiTestSupport {

    @Test
    void healthIncludesTheDatabase() {
        var health = api.get("/actuator/health");

        assertThat(health.status()).isEqualTo(200);
        assertThat((String) health.json("$.components.db.status")).isEqualTo("UP");
    }

    @Test
    void keepsTheApiDescriptionAndTheChangesetsToItselfUnlessToldOtherwise() {
        assertThat(api.get("/v3/api-docs").status()).isEqualTo(404);
        assertThat(api.get("/swagger-ui.html").status()).isEqualTo(404);
        assertThat(api.get("/swagger-ui/index.html").status()).isEqualTo(404);
        assertThat(api.get("/actuator/changesets").status()).isEqualTo(404);
        assertThat((String) api.get("/api/nowhere").json("$.detail")).isEqualTo("No endpoint GET /api/nowhere.");
    }
}
