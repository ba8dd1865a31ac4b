package dev.keel.backend.migrations;

import com.zaxxer.hikari.HikariDataSource;
import dev.keel.db.liquibase.UpdateSelection;
import javax.sql.DataSource;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBooleanProperty;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.boot.jpa.autoconfigure.EntityManagerFactoryDependsOnPostProcessor;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

@Configuration(proxyBeanMethods = false)
@EnableConfigurationProperties(MigrationsProperties.class)
class MigrationsConfiguration {

    /** Unless keel.migrations.contexts or labels say otherwise, those of Keel's settings, which the goals and the checks use. */
    @Bean
    Changelog changelog(DataSource dataSource, MigrationsProperties properties) {
        UpdateSelection selection = UpdateSelection.fromSettings();
        return new Changelog(dataSource, properties.contexts() != null ? properties.contexts() : selection.contexts(),
                properties.labels() != null ? properties.labels() : selection.labels());
    }

    @Bean
    PendingMigrationsCheck pendingMigrationsCheck(Changelog changelog, MigrationsProperties properties, DataSource dataSource) {
        return new PendingMigrationsCheck(changelog, properties, describe(dataSource));
    }

    /** role@url for messages, read from the pool rather than from persistence's settings (layering). */
    private static String describe(DataSource dataSource) {
        return dataSource instanceof HikariDataSource pool ? pool.getUsername() + "@" + pool.getJdbcUrl() : "the database";
    }

    /** JPA waits for the check, so a database that is behind is reported as such, not as a missing table. */
    @Bean
    static EntityManagerFactoryDependsOnPostProcessor entityManagerFactoryDependsOnPendingMigrationsCheck() {
        return new EntityManagerFactoryDependsOnPostProcessor("pendingMigrationsCheck");
    }

    /** Off unless keel.introspection.enabled is true, as springdoc is (application.yaml). */
    @Bean
    @ConditionalOnBooleanProperty("keel.introspection.enabled")
    ChangesetsEndpoint changesetsEndpoint(Changelog changelog) {
        return new ChangesetsEndpoint(changelog);
    }
}
