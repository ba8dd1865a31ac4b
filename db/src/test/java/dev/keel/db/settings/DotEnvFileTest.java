package dev.keel.db.settings;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;

class DotEnvFileTest {

    private static final Path FILE = Path.of("/repo/.env");

    @Test
    void readsValuesCommentsExportsAndQuotes() {
        DotEnvFile file = DotEnvFile.parse(FILE, List.of(
                "# a comment", "", "DB_HOST=db.local  # trailing comment", "export DB_PORT=6543",
                "DB_PASSWORD=\"p#ss word\"", "DB_NAME='keel'"));

        assertThat(file.entries()).containsOnlyKeys("DB_HOST", "DB_PORT", "DB_PASSWORD", "DB_NAME");
        assertThat(file.entries().get("DB_HOST")).isEqualTo(new DotEnvFile.Entry("db.local", 3));
        assertThat(file.entries().get("DB_PORT").value()).isEqualTo("6543");
        assertThat(file.entries().get("DB_PASSWORD").value()).isEqualTo("p#ss word");
        assertThat(file.entries().get("DB_NAME").value()).isEqualTo("keel");
    }

    @Test
    void missingFileIsEmpty() {
        assertThat(DotEnvFile.read(Path.of("does/not/exist/.env")).entries()).isEmpty();
    }

    @Test
    void rejectsALineWithoutEqualsNamingFileAndLine() {
        assertThatThrownBy(() -> DotEnvFile.parse(FILE, List.of("DB_HOST=x", "DB_PORT 5432")))
                .isInstanceOf(SettingsException.class)
                .hasMessage(FILE + " line 2: expected KEY=VALUE but found 'DB_PORT 5432'");
    }

    @Test
    void rejectsBadKeysUnclosedQuotesAndDuplicates() {
        assertThatThrownBy(() -> DotEnvFile.parse(FILE, List.of("DB-HOST=x")))
                .hasMessage(FILE + " line 1: 'DB-HOST' is not a valid key (letters, digits and _ only)");
        assertThatThrownBy(() -> DotEnvFile.parse(FILE, List.of("", "DB_PASSWORD=\"secret")))
                .hasMessage(FILE + " line 2: the value opens a \" quote that is never closed");
        assertThatThrownBy(() -> DotEnvFile.parse(FILE, List.of("DB_HOST=a", "DB_HOST=b")))
                .hasMessage(FILE + " line 2: DB_HOST is already set on line 1; keep one of them");
    }
}
