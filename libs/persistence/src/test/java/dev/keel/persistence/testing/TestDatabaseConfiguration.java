package dev.keel.persistence.testing;

import dev.keel.db.testing.TestPostgres;
import dev.keel.persistence.config.DatabaseSettings;
import org.springframework.boot.test.context.TestConfiguration;
import org.springframework.context.annotation.Bean;

/**
 * The one test database configuration: each application context gets its own database, cloned from
 * the migrated template, and connects to it as the application role, exactly as the service does.
 */
@TestConfiguration(proxyBeanMethods = false)
public class TestDatabaseConfiguration {

    @Bean
    DatabaseSettings databaseSettings() {
        String database = TestPostgres.createMigratedDatabase();
        return DatabaseSettings.load().withConnection(TestPostgres.server().jdbcUrl(database), TestPostgres.APP_ROLE, TestPostgres.APP_PASSWORD);
    }
}
