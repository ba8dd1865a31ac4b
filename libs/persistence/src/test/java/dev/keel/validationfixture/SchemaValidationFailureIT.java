package dev.keel.validationfixture;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.keel.testdb.TestDatabaseConfiguration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.persistence.autoconfigure.EntityScan;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.annotation.Import;

/** An entity edited without a changeset stops the application with the daily loop's commands, not Hibernate's bare error. */
@ExtendWith(OutputCaptureExtension.class)
class SchemaValidationFailureIT {

    @Test
    void anEntityAheadOfTheChangelogNamesTheGenerateCommand(CapturedOutput output) {
        assertThatThrownBy(() -> new SpringApplicationBuilder(AheadOfTheChangelog.class)
                .run("--spring.jpa.hibernate.ddl-auto=validate", "--spring.main.web-application-type=none")).isNotNull();

        assertThat(output).contains("APPLICATION FAILED TO START")
                .contains("The entities and the database disagree: Schema validation: missing table [keel_entity_ahead_of_the_changelog]")
                .contains("mvn keel:generate -Dname=<Name>");
    }

    /** Not a @SpringBootConfiguration, so that no other test's configuration search finds it. */
    @Configuration(proxyBeanMethods = false)
    @EnableAutoConfiguration
    @EntityScan("dev.keel.validationfixture")
    @Import(TestDatabaseConfiguration.class)
    static class AheadOfTheChangelog {
    }
}
