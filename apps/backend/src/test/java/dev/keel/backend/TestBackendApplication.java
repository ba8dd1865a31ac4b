package dev.keel.backend;

import dev.keel.testdb.TestDatabaseConfiguration;
import java.util.Arrays;
import java.util.stream.Stream;
import org.springframework.boot.SpringApplication;
import org.springframework.context.ConfigurableApplicationContext;

/**
 * Runs the service on a throwaway real PostgreSQL with the changelog applied, found the way the tests
 * find theirs (TEST_DB_URL, Testcontainers, then embedded): {@code mvn -pl apps/backend -am spring-boot:test-run}.
 * Swagger UI, the OpenAPI document and /actuator/changesets are on, unless the arguments say otherwise.
 */
public class TestBackendApplication {

    static final String INTROSPECTION = "keel.introspection.enabled";

    public static void main(String[] args) {
        run(args);
    }

    static ConfigurableApplicationContext run(String... args) {
        String[] arguments = Arrays.stream(args).anyMatch(arg -> arg.startsWith("--" + INTROSPECTION + "="))
                ? args : Stream.concat(Stream.of("--" + INTROSPECTION + "=true"), Arrays.stream(args)).toArray(String[]::new);
        return SpringApplication.from(BackendApplication::main).with(TestDatabaseConfiguration.class).run(arguments).getApplicationContext();
    }
}
