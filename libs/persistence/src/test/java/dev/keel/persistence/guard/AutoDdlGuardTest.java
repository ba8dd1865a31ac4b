package dev.keel.persistence.guard;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.boot.SpringApplication;
import org.springframework.boot.WebApplicationType;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.env.StandardEnvironment;
import org.springframework.core.env.SystemEnvironmentPropertySource;

/** Plants a DDL-generating setting by each route and checks that start-up is refused, naming it. */
@ExtendWith(OutputCaptureExtension.class)
class AutoDdlGuardTest {

    @Configuration(proxyBeanMethods = false)
    static class NoBeans {
    }

    @TempDir
    Path profiles;

    @Test
    void refusesACommandLineArgument(CapturedOutput output) {
        assertThatThrownBy(() -> start("--spring.jpa.hibernate.ddl-auto=update"))
                .isInstanceOf(AutoDdlException.class)
                .hasMessageStartingWith("spring.jpa.hibernate.ddl-auto=update (from commandLineArgs) lets the ORM generate DDL");
        assertThat(output).contains("APPLICATION FAILED TO START").contains("Remove the setting, or set it to validate or none");
    }

    @Test
    void refusesASystemProperty() {
        System.setProperty("spring.jpa.properties.hibernate.hbm2ddl.auto", "create-drop");
        try {
            assertThatThrownBy(() -> start())
                    .hasMessageContaining("spring.jpa.properties.hibernate.hbm2ddl.auto=create-drop (from systemProperties)");
        } finally {
            System.clearProperty("spring.jpa.properties.hibernate.hbm2ddl.auto");
        }
    }

    @Test
    void refusesAnEnvironmentVariableInItsOwnSpelling() {
        StandardEnvironment environment = new StandardEnvironment();
        environment.getPropertySources().addFirst(new SystemEnvironmentPropertySource("systemEnvironment",
                Map.of("SPRING_JPA_HIBERNATE_DDL_AUTO", "create")));

        assertThatThrownBy(() -> new AutoDdlGuard().postProcessEnvironment(environment, new SpringApplication()))
                .hasMessageStartingWith("SPRING_JPA_HIBERNATE_DDL_AUTO=create (from systemEnvironment)");
    }

    @Test
    void refusesAProfileFile() throws Exception {
        Files.writeString(profiles.resolve("application-tutorial.yaml"), """
                spring:
                  jpa:
                    generate-ddl: true
                """);

        assertThatThrownBy(() -> start("--spring.config.additional-location=file:" + profiles.toAbsolutePath() + "/",
                "--spring.profiles.active=tutorial"))
                .hasMessageContaining("spring.jpa.generate-ddl=true (from Config resource 'file [")
                .hasMessageContaining("application-tutorial.yaml");
    }

    @Test
    void refusesSpringLiquibaseAndSqlInitAtStartUp() {
        assertThatThrownBy(() -> start("--spring.liquibase.enabled=true", "--spring.sql.init.mode=always"))
                .hasMessageContaining("spring.liquibase.enabled=true (from commandLineArgs) would run migrations at start-up")
                .hasMessageContaining("spring.sql.init.mode=always (from commandLineArgs) runs SQL scripts");
    }

    @Test
    void startsWithHarmlessValues() {
        try (ConfigurableApplicationContext context = start("--spring.jpa.hibernate.ddl-auto=validate",
                "--jakarta.persistence.schema-generation.database.action=none", "--spring.jpa.generate-ddl=false")) {
            assertThat(context.isActive()).isTrue();
        }
    }

    private static ConfigurableApplicationContext start(String... args) {
        return new SpringApplicationBuilder(NoBeans.class).web(WebApplicationType.NONE)
                .properties("spring.main.banner-mode=off").run(args);
    }
}
