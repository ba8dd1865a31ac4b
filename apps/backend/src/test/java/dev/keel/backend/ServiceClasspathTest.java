package dev.keel.backend;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import org.springframework.util.ClassUtils;

/** The service's own class path, which the architecture rules (libs/architecture) cannot see from their module. */
class ServiceClasspathTest {

    @Test
    void springLiquibaseIntegrationIsNotOnTheServiceClasspath() {
        assertThat(ClassUtils.isPresent("org.springframework.boot.liquibase.autoconfigure.LiquibaseAutoConfiguration", null)).isFalse();
    }
}
