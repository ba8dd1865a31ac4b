package dev.keel.db.liquibase;

import static org.assertj.core.api.Assertions.assertThat;

import liquibase.analytics.configuration.AnalyticsArgs;
import liquibase.configuration.ConfiguredValue;
import liquibase.lockservice.LockServiceFactory;
import liquibase.database.core.PostgresDatabase;
import org.junit.jupiter.api.Test;

/** What this module's extension changes in any Liquibase that has it on the classpath. */
class LiquibaseDefaultsTest {

    @Test
    void analyticsAreOffByDefault() {
        ConfiguredValue<Boolean> enabled = AnalyticsArgs.ENABLED.getCurrentConfiguredValue();

        assertThat(enabled.getValue()).isFalse();
        assertThat(enabled.getProvidedValue().getSourceDescription()).contains("Keel");
    }

    @Test
    void analyticsCanStillBeTurnedOnExplicitly() throws Exception {
        System.setProperty(AnalyticsOff.KEY, "true");
        try {
            assertThat(AnalyticsArgs.ENABLED.getCurrentValue()).isTrue();
        } finally {
            System.clearProperty(AnalyticsOff.KEY);
        }
    }

    @Test
    void postgresUsesTheSessionLockThatHasNothingToRelease() throws Exception {
        PostgresDatabase database = new PostgresDatabase();
        assertThat(LockServiceFactory.getInstance().getLockService(database)).isInstanceOf(SessionLocks.class);
    }
}
