package dev.keel.backend.fuzz;

import static org.assertj.core.api.Assertions.assertThat;

import com.jayway.jsonpath.JsonPath;
import dev.keel.backend.testing.IntegrationTest;
import io.swagger.v3.core.util.Json31;
import io.swagger.v3.oas.models.OpenAPI;
import jakarta.persistence.EntityManagerFactory;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.stream.Collectors;
import javax.sql.DataSource;
import org.hibernate.engine.spi.SessionFactoryImplementor;
import org.instancio.Instancio;
import org.instancio.Select;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.beans.factory.annotation.Qualifier;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.test.context.TestPropertySource;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.method.HandlerMethod;
import org.springframework.web.servlet.mvc.method.annotation.RequestMappingHandlerMapping;

/**
 * Requests generated from the service's own OpenAPI document, valid and broken (see {@link RequestGenerator}),
 * seeded by Instancio: no answer is a 5xx, every 4xx is problem+json naming a parameter or field the request
 * carried, and no 4xx changed a row. Replay a run with {@code -Dkeel.fuzz.seed=<seed>}; size it with
 * {@code -Dkeel.fuzz.requests=<n>}.
 */
@IntegrationTest
@TestPropertySource(properties = "keel.introspection.enabled=true")
class GeneratedRequestsIT {

    private static final int REQUESTS = Integer.getInteger("keel.fuzz.requests", 2000);

    @LocalServerPort
    private int port;

    @Autowired
    private DataSource dataSource;

    @Autowired
    private EntityManagerFactory entityManagerFactory;

    @Autowired
    @Qualifier("requestMappingHandlerMapping")
    private RequestMappingHandlerMapping handlerMapping;

    private final HttpClient client = HttpClient.newHttpClient();

    @Test
    void noGeneratedRequestGetsAServerErrorAndNoClientErrorWritesARow() throws Exception {
        long seed = Long.getLong("keel.fuzz.seed", new SecureRandom().nextLong());
        System.out.println("Generated requests: seed " + seed + " (replay with -Dkeel.fuzz.seed=" + seed + ")");
        OpenAPI document = Json31.mapper().readValue(send(HttpRequest.newBuilder(uri("/v3/api-docs")).GET()).body(), OpenAPI.class);
        RequestGenerator generator = new RequestGenerator(document);
        if (generator.endpoints() == 0) {
            // A service whose API is still to be written has nothing to fuzz; one whose controllers the document misses is broken.
            assertThat(controllerMethods()).as("request mappings of @RestController classes, which the OpenAPI document lists no operation of")
                    .isEmpty();
            return;
        }
        TableFingerprint data = new TableFingerprint(new JdbcTemplate(dataSource), mappedTables());

        List<String> failures = new ArrayList<>();
        Map<String, Integer> statuses = new TreeMap<>();
        String before = data.current();
        List<GeneratedRequest> requests = Instancio.of(GeneratedRequest.class).withSeed(seed)
                .supply(Select.root(), generator).stream().limit(REQUESTS).toList();
        for (GeneratedRequest request : requests) {
            HttpResponse<String> response = send(request);
            statuses.merge(request.kind() + " " + response.statusCode(), 1, Integer::sum);
            String problem = problem(request, response);
            if (problem != null) {
                failures.add(problem + "\n    request: " + request.describe() + "\n    answer: " + abbreviate(response.body()));
            }
            if (response.statusCode() >= 400 && response.statusCode() < 500) {
                String after = data.current();
                if (!after.equals(before)) {
                    failures.add("a " + response.statusCode() + " answer changed rows\n    request: " + request.describe());
                }
                before = after;
            } else {
                rememberId(generator, response);
                before = data.current();
            }
        }
        System.out.println("Generated requests: " + requests.size() + " over " + generator.endpoints() + " operations; kind and status: " + statuses);
        assertThat(failures).as("seed " + seed + ": " + failures.size() + " failures").isEmpty();
    }

    private List<String> controllerMethods() {
        return handlerMapping.getHandlerMethods().values().stream()
                .filter(method -> method.getBeanType().isAnnotationPresent(RestController.class)
                        && !method.getBeanType().getPackageName().startsWith("org.springdoc"))
                .map(HandlerMethod::toString).toList();
    }

    /** What is wrong with an answer, or null. */
    private static String problem(GeneratedRequest request, HttpResponse<String> response) {
        int status = response.statusCode();
        if (status >= 500) {
            return "answered " + status;
        }
        if (status < 400) {
            return null;
        }
        String type = response.headers().firstValue("Content-Type").orElse("");
        if (!type.startsWith("application/problem+json")) {
            return "answered " + status + " as " + (type.isEmpty() ? "no content type" : type) + ", not application/problem+json";
        }
        List<String> named = named(response.body());
        boolean namesOne = named.stream().anyMatch(name -> request.names().contains(name.split("[.\\[]", 2)[0]));
        return namesOne ? null : "answered " + status + " naming " + (named.isEmpty() ? "no parameter or field" : named)
                + ", not one the request carried " + request.names();
    }

    private static List<String> named(String body) {
        List<String> names = new ArrayList<>();
        try {
            Map<String, Object> problem = JsonPath.read(body, "$");
            if (problem.get("parameter") instanceof String parameter) {
                names.add(parameter);
            }
            if (problem.get("field") instanceof String field) {
                names.add(field);
            }
            if (problem.get("errors") instanceof List<?> errors) {
                errors.stream().filter(Map.class::isInstance).map(error -> ((Map<?, ?>) error).get("field"))
                        .filter(String.class::isInstance).map(String.class::cast).forEach(names::add);
            }
        } catch (RuntimeException unreadable) {
            // not a JSON object: it names nothing
        }
        return names;
    }

    private static void rememberId(RequestGenerator generator, HttpResponse<String> response) {
        if (response.statusCode() == 201) {
            try {
                generator.remember(((Number) JsonPath.read(response.body(), "$.id")).longValue());
            } catch (RuntimeException noId) {
                // a created resource without an id is not one the generator can address
            }
        }
    }

    private HttpResponse<String> send(GeneratedRequest request) throws Exception {
        HttpRequest.Builder builder = HttpRequest.newBuilder(uri(request.target()));
        request.headers().forEach(builder::header);
        builder.method(request.method(), request.body() == null
                ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofByteArray(request.body()));
        return send(builder);
    }

    private HttpResponse<String> send(HttpRequest.Builder builder) throws Exception {
        return client.send(builder.build(), HttpResponse.BodyHandlers.ofString());
    }

    private URI uri(String target) {
        return URI.create("http://localhost:" + port + target);
    }

    private static String abbreviate(String text) {
        return text.length() <= 300 ? text : text.substring(0, 300) + "…";
    }

    /**
     * The tables the service's entities map, which are all it can write: taken from Hibernate's metamodel, so a
     * changelog's other tables, however many, add nothing to the check of each request.
     */
    private Set<String> mappedTables() {
        Set<String> tables = new TreeSet<>();
        entityManagerFactory.unwrap(SessionFactoryImplementor.class).getMappingMetamodel()
                .forEachEntityDescriptor(entity -> tables.addAll(List.of(entity.getTableNames())));
        return tables;
    }

    /** Every row of every table the service maps, hashed: equal before and after means nothing was written. */
    private static final class TableFingerprint {

        private final JdbcTemplate jdbc;
        private final String query;

        TableFingerprint(JdbcTemplate jdbc, Set<String> tables) {
            this.jdbc = jdbc;
            this.query = tables.stream()
                    .map(table -> "(SELECT md5(coalesce(string_agg(t::text, ',' ORDER BY t::text), '')) FROM " + table + " t)")
                    .collect(Collectors.joining(" || ", "SELECT md5('' || ", ")"));
        }

        String current() {
            return jdbc.queryForObject(query, String.class);
        }
    }
}
