package dev.keel.backend.migrations;

import dev.keel.persistence.config.DatabaseSettings;
import javax.sql.DataSource;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.boot.jpa.autoconfigure.EntityManagerFactoryDependsOnPostProcessor;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

@Configuration(proxyBeanMethods = false)
@EnableConfigurationProperties(MigrationsProperties.class)
class MigrationsConfiguration {

    @Bean
    Changelog changelog(DataSource dataSource) {
        return new Changelog(dataSource);
    }

    @Bean
    PendingMigrationsCheck pendingMigrationsCheck(Changelog changelog, MigrationsProperties properties, DatabaseSettings settings) {
        return new PendingMigrationsCheck(changelog, properties, settings.username() + "@" + settings.jdbcUrl());
    }

    /** JPA waits for the check, so a database that is behind is reported as such, not as a missing table. */
    @Bean
    static EntityManagerFactoryDependsOnPostProcessor entityManagerFactoryDependsOnPendingMigrationsCheck() {
        return new EntityManagerFactoryDependsOnPostProcessor("pendingMigrationsCheck");
    }

    @Bean
    ChangesetsEndpoint changesetsEndpoint(Changelog changelog) {
        return new ChangesetsEndpoint(changelog);
    }
}
