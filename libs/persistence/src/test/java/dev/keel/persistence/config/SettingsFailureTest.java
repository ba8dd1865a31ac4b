package dev.keel.persistence.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.keel.db.settings.SettingsException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.springframework.boot.WebApplicationType;
import org.springframework.boot.autoconfigure.ImportAutoConfiguration;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.context.annotation.Configuration;

/** A bad database setting stops an application that uses this library with one clear report, not a stack trace. */
@ExtendWith(OutputCaptureExtension.class)
class SettingsFailureTest {

    @Configuration(proxyBeanMethods = false)
    @ImportAutoConfiguration(PersistenceAutoConfiguration.class)
    static class UsesPersistence {
    }

    @Test
    void aNonNumericPortIsReportedWithItsSourceAndTheFix(CapturedOutput output) {
        System.setProperty("DB_PORT", "abc");
        try {
            assertThatThrownBy(() -> new SpringApplicationBuilder(UsesPersistence.class).web(WebApplicationType.NONE).run())
                    .rootCause().isInstanceOf(SettingsException.class);
        } finally {
            System.clearProperty("DB_PORT");
        }
        assertThat(output).contains("APPLICATION FAILED TO START")
                .contains("A database setting cannot be used: DB_PORT must be a whole number from 1 to 65535, but is 'abc' (system property -DDB_PORT)")
                .contains(".env.example lists every key")
                .doesNotContain("at dev.keel");
    }
}
