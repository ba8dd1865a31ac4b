package dev.keel.db.settings;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import org.junit.jupiter.api.Test;

class SettingsTest {

    private static final Path FILE = Path.of("/repo/.env");
    private static final DotEnvFile DOT_ENV = DotEnvFile.parse(FILE, List.of("DB_HOST=from-file", "DB_NAME=file_db", "DB_PORT=6000"));

    @Test
    void environmentBeatsSystemPropertyBeatsDotEnvBeatsDefault() {
        Properties properties = new Properties();
        properties.setProperty("DB_HOST", "from-property");
        properties.setProperty("DB_NAME", "property_db");
        Settings settings = new Settings(Map.of("DB_HOST", "from-env"), properties, DOT_ENV);

        assertThat(settings.get("DB_HOST")).isEqualTo("from-env");
        assertThat(settings.get("DB_NAME")).isEqualTo("property_db");
        assertThat(settings.getPort("DB_PORT")).isEqualTo(6000);
        assertThat(settings.get("DB_USERNAME")).isEqualTo("postgres");
        assertThat(settings.sourceOf("DB_PORT")).isEqualTo(FILE + " line 3");
    }

    @Test
    void rejectsAnEmptyRequiredValueNamingItsSource() {
        Settings settings = new Settings(Map.of("DB_NAME", " "), new Properties(), DOT_ENV);

        assertThatThrownBy(() -> settings.get("DB_NAME"))
                .isInstanceOf(SettingsException.class)
                .hasMessage("DB_NAME is empty (environment variable DB_NAME); set a value or remove it to use the default 'keel'");
    }

    @Test
    void allowsAnEmptyPassword() {
        Settings settings = new Settings(Map.of("DB_PASSWORD", ""), new Properties(), DOT_ENV);

        assertThat(settings.get("DB_PASSWORD")).isEmpty();
    }

    @Test
    void rejectsAPortThatIsNotANumber() {
        Settings settings = new Settings(Map.of("DB_PORT", "54x2"), new Properties(), DOT_ENV);

        assertThatThrownBy(() -> settings.getPort("DB_PORT"))
                .hasMessage("DB_PORT must be a whole number from 1 to 65535, but is '54x2' (environment variable DB_PORT)");
    }

    @Test
    void rejectsAnUnknownKeyInDotEnv() {
        DotEnvFile typo = DotEnvFile.parse(FILE, List.of("DB_HSOT=localhost"));

        assertThatThrownBy(() -> new Settings(Map.of(), new Properties(), typo))
                .hasMessageStartingWith(FILE + " line 1: unknown key DB_HSOT; the keys are DB_HOST, DB_PORT");
    }

    @Test
    void dotEnvExampleDocumentsEveryKeyInACommentAndParses() throws Exception {
        Path example = Settings.root().resolve(".env.example");
        DotEnvFile parsed = DotEnvFile.read(example);
        List<String> lines = java.nio.file.Files.readAllLines(example);

        assertThat(parsed.entries()).containsOnlyKeys(Settings.DEFAULTS.keySet());
        new Settings(Map.of(), new Properties(), parsed);
        for (String key : Settings.DEFAULTS.keySet()) {
            int line = parsed.entries().get(key).line();
            assertThat(lines.get(line - 2)).as("comment above %s", key).startsWith("#");
        }
    }

    @Test
    void refusesAValueThatWouldChangeTheConnectionUrlNamingTheKey() {
        Settings injected = new Settings(Map.of("DB_NAME", "keelx?host=nonexistent.invalid&"), new Properties(), DOT_ENV);

        assertThatThrownBy(() -> injected.expand("jdbc:postgresql://%{DB_HOST}:%{DB_PORT}/%{DB_NAME}"))
                .isInstanceOf(SettingsException.class)
                .hasMessageStartingWith("DB_NAME may not contain '?', which would change the connection URL; it is 'keelx?host=nonexistent.invalid&' (environment variable DB_NAME)");
        for (String bad : List.of("a b", "a/b", "a#b", "a&b", "a%20b")) {
            Settings settings = new Settings(Map.of("DB_APP_USERNAME", bad), new Properties(), DOT_ENV);
            assertThatThrownBy(() -> settings.expand("jdbc:postgresql://h/d?options=-c%20keel.app_role=%{DB_APP_USERNAME}"))
                    .as(bad).hasMessageStartingWith("DB_APP_USERNAME may not contain");
        }
        assertThat(new Settings(Map.of("DB_HOST", "::1"), new Properties(), DOT_ENV).expand("jdbc:postgresql://%{DB_HOST}:%{DB_PORT}/d"))
                .isEqualTo("jdbc:postgresql://::1:6000/d");
    }

    @Test
    void passwordsAreNotUrlValuesAndKeepEveryCharacter() {
        Settings settings = new Settings(Map.of("DB_PASSWORD", "p?a&s s/#"), new Properties(), DOT_ENV);

        assertThat(settings.expand("%{DB_PASSWORD}")).isEqualTo("p?a&s s/#");
    }

    @Test
    void tlsSettingsReachTheUrlAndAnUnsetRootCertificateLeavesPgjdbcItsDefault() {
        String template = "jdbc:postgresql://%{DB_HOST}/d?sslmode=%{DB_SSLMODE}&sslrootcert=%{DB_SSLROOTCERT}&options=-c%20a=b";

        assertThat(new Settings(Map.of(), new Properties(), DOT_ENV).expand(template))
                .isEqualTo("jdbc:postgresql://from-file/d?sslmode=prefer&options=-c%20a=b");
        assertThat(new Settings(Map.of("DB_SSLMODE", "verify-full", "DB_SSLROOTCERT", "/etc/keel/root ca+1.crt"), new Properties(), DOT_ENV)
                .expand(template))
                .isEqualTo("jdbc:postgresql://from-file/d?sslmode=verify-full&sslrootcert=%2Fetc%2Fkeel%2Froot+ca%2B1.crt&options=-c%20a=b");
        assertThatThrownBy(() -> new Settings(Map.of("DB_SSLMODE", "verify"), new Properties(), DOT_ENV).expand(template))
                .hasMessage("DB_SSLMODE must be one of disable, allow, prefer, require, verify-ca, verify-full, but is 'verify' (environment variable DB_SSLMODE)");
    }
}
