package dev.keel.backend;

import dev.keel.testdb.TestDatabaseConfiguration;
import org.springframework.boot.SpringApplication;

/**
 * Runs the service on a throwaway real PostgreSQL with the changelog applied, found the way the tests
 * find theirs (TEST_DB_URL, Testcontainers, then embedded): {@code mvn -pl apps/backend -am spring-boot:test-run}.
 */
public class TestBackendApplication {

    public static void main(String[] args) {
        SpringApplication.from(BackendApplication::main).with(TestDatabaseConfiguration.class).run(args);
    }
}
