package dev.keel.backend;

import static org.assertj.core.api.Assertions.assertThat;

import dev.keel.backend.testing.Api;
import dev.keel.db.liquibase.ChangesetFilters;
import dev.keel.db.liquibase.ClasspathChangelog;
import dev.keel.db.liquibase.UpdateSelection;
import java.util.List;
import java.util.Map;
import liquibase.changelog.ChangeLogParameters;
import liquibase.changelog.ChangeSet;
import liquibase.parser.ChangeLogParserFactory;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.springframework.boot.web.server.context.WebServerApplicationContext;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.web.servlet.mvc.method.annotation.RequestMappingHandlerMapping;

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
    void listsTheAppliedChangesetsInOrder() throws Exception {
        Api.Response changesets = api.get("/actuator/changesets");

        assertThat(changesets.status()).isEqualTo(200);
        List<String> ids = changesets.json("$[*].id");
        // Whatever the changelog holds: every changeset an update with the project's contexts runs on PostgreSQL, in order;
        // one it may leave unrecorded (skipped by its precondition, say), or record without running (for other databases,
        // marked ran by its precondition), only if it is recorded.
        String master = "db/changelog/db.changelog-master.yaml";
        ClasspathChangelog classpath = new ClasspathChangelog();
        UpdateSelection selection = UpdateSelection.fromSettings();
        ChangeLogParameters parameters = new ChangeLogParameters();
        selection.applyTo(parameters);
        List<String> changelog = ChangeLogParserFactory.getInstance().getParser(master, classpath)
                .parse(master, parameters, classpath).getChangeSets().stream()
                .filter(changeSet -> selection.mayRecord(changeSet) && (ids.contains(changeSet.getId())
                        || selection.applies(changeSet) && !ChangesetFilters.mayStayPending(changeSet)))
                .map(ChangeSet::getId).toList();
        assertThat(ids).isNotEmpty().isEqualTo(changelog);
    }

    @Test
    void servesTheOpenApiDocumentAndSwaggerUi() {
        Api.Response openApi = api.get("/v3/api-docs");

        assertThat(openApi.status()).isEqualTo(200);
        // Whatever the API is: every path the service's own controllers map is documented.
        List<String> mapped = service.getBean("requestMappingHandlerMapping", RequestMappingHandlerMapping.class).getHandlerMethods().entrySet()
                .stream().filter(handler -> handler.getValue().getBeanType().getPackageName().startsWith(BackendApplication.class.getPackageName()))
                .flatMap(handler -> handler.getKey().getPatternValues().stream()).distinct().toList();
        Map<String, Object> documented = openApi.json("$.paths");
        assertThat(documented.keySet()).containsAll(mapped);
        assertThat(api.get("/swagger-ui.html").status()).isEqualTo(302);
        assertThat(api.get("/swagger-ui/index.html").status()).isEqualTo(200);
        assertThat((String) api.get("/api/nowhere").json("$.detail")).isEqualTo("No endpoint GET /api/nowhere. The API is described at /v3/api-docs.");
    }
}
