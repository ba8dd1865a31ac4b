package dev.keel.testdb;

import com.zaxxer.hikari.HikariDataSource;
import javax.sql.DataSource;
import org.springframework.boot.test.context.TestConfiguration;
import org.springframework.context.annotation.Bean;

/**
 * The one test database configuration for Spring tests: each application context gets its own database,
 * cloned from the migrated template, and connects to it as the application role, as the service does.
 * An application's own DataSource auto-configuration backs off when this bean is present.
 */
@TestConfiguration(proxyBeanMethods = false)
public class TestDatabaseConfiguration {

    @Bean(destroyMethod = "close")
    DataSource testDataSource() {
        String database = TestPostgres.createMigratedDatabase();
        HikariDataSource dataSource = new HikariDataSource();
        dataSource.setPoolName("keel-test");
        dataSource.setJdbcUrl(TestPostgres.server().jdbcUrl(database));
        dataSource.setUsername(TestPostgres.APP_ROLE);
        dataSource.setPassword(TestPostgres.APP_PASSWORD);
        dataSource.setMaximumPoolSize(10);
        return dataSource;
    }
}
