package dev.keel.persistence.config;

import com.zaxxer.hikari.HikariDataSource;
import dev.keel.persistence.common.KeelRepositoryBase;
import javax.sql.DataSource;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.AutoConfigurationPackage;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.jdbc.autoconfigure.DataSourceAutoConfiguration;
import org.springframework.context.annotation.Bean;
import org.springframework.data.jpa.repository.config.EnableJpaRepositories;

/**
 * Puts this library's entities and repositories into any Boot application that has it on the classpath,
 * with a DataSource built from Keel's settings. A test or a local run replaces the settings by defining
 * its own {@link DatabaseSettings} bean.
 */
@AutoConfiguration(before = DataSourceAutoConfiguration.class)
@AutoConfigurationPackage(basePackages = "dev.keel.persistence")
@EnableJpaRepositories(basePackages = "dev.keel.persistence", repositoryBaseClass = KeelRepositoryBase.class)
public class PersistenceAutoConfiguration {

    @Bean
    @ConditionalOnMissingBean
    DatabaseSettings databaseSettings() {
        return DatabaseSettings.load();
    }

    @Bean(destroyMethod = "close")
    @ConditionalOnMissingBean(DataSource.class)
    HikariDataSource dataSource(DatabaseSettings settings) {
        return DataSourceFactory.create(settings);
    }
}
