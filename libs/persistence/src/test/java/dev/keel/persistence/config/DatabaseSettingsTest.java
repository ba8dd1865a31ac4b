package dev.keel.persistence.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.zaxxer.hikari.HikariDataSource;
import dev.keel.db.settings.DotEnvFile;
import dev.keel.db.settings.Settings;
import dev.keel.db.settings.SettingsException;
import java.nio.file.Path;
import java.util.Map;
import java.util.Properties;
import org.junit.jupiter.api.Test;

class DatabaseSettingsTest {

    private static final DotEnvFile EMPTY = DotEnvFile.read(Path.of("does-not-exist/.env"));

    @Test
    void connectsAsTheApplicationRoleWithProductionPoolDefaults() {
        DatabaseSettings settings = DatabaseSettings.from(new Settings(Map.of("DB_NAME", "shop", "DB_APP_USERNAME", "shop_app"), new Properties(), EMPTY));

        assertThat(settings.jdbcUrl()).isEqualTo("jdbc:postgresql://localhost:5432/shop?sslmode=prefer");
        assertThat(settings.username()).isEqualTo("shop_app");
        assertThat(settings.poolMaxSize()).isEqualTo(10);
        assertThat(settings.connectionTimeoutMs()).isEqualTo(5000);
    }

    @Test
    void requiresVerifiedTlsWhenToldTo() {
        DatabaseSettings settings = DatabaseSettings.from(new Settings(
                Map.of("DB_SSLMODE", "verify-full", "DB_SSLROOTCERT", "/run/secrets/root.crt"), new Properties(), EMPTY));

        assertThat(settings.jdbcUrl()).isEqualTo("jdbc:postgresql://localhost:5432/keel?sslmode=verify-full&sslrootcert=%2Frun%2Fsecrets%2Froot.crt");
    }

    @Test
    void buildsAPoolFromTheSettingsWithoutConnecting() {
        DatabaseSettings settings = DatabaseSettings.from(new Settings(
                Map.of("DB_POOL_MAX_SIZE", "3", "DB_POOL_CONNECTION_TIMEOUT_MS", "750"), new Properties(), EMPTY));

        try (HikariDataSource pool = DataSourceFactory.create(settings)) {
            assertThat(pool.getMaximumPoolSize()).isEqualTo(3);
            assertThat(pool.getConnectionTimeout()).isEqualTo(750);
            assertThat(pool.getUsername()).isEqualTo("keel_app");
        }
    }

    @Test
    void rejectsAPoolSizeThatIsNotANumber() {
        Settings settings = new Settings(Map.of("DB_POOL_MAX_SIZE", "lots"), new Properties(), EMPTY);

        assertThatThrownBy(() -> DatabaseSettings.from(settings))
                .isInstanceOf(SettingsException.class)
                .hasMessage("DB_POOL_MAX_SIZE must be a whole number from 1 to 1000, but is 'lots' (environment variable DB_POOL_MAX_SIZE)");
    }
}
