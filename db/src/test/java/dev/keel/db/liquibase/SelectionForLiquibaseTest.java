package dev.keel.db.liquibase;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import liquibase.Scope;
import liquibase.configuration.ConfiguredValue;
import liquibase.configuration.LiquibaseConfiguration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The contexts and labels in .env reach Liquibase's configuration, as the environment's would. */
class SelectionForLiquibaseTest {

    private static final String ROOT = "maven.multiModuleProjectDirectory";

    @TempDir
    Path root;
    private final String rootBefore = System.getProperty(ROOT);

    @AfterEach
    void restoreRoot() {
        if (rootBefore == null) {
            System.clearProperty(ROOT);
        } else {
            System.setProperty(ROOT, rootBefore);
        }
    }

    @Test
    void liquibaseReadsTheContextsAndLabelsOfDotEnv() throws Exception {
        Files.writeString(root.resolve(".env"), "DB_NAME=keel\nLIQUIBASE_COMMAND_CONTEXTS=postgresql\nLIQUIBASE_COMMAND_LABEL_FILTER=!slow\n");
        System.setProperty(ROOT, root.toString());

        assertThat(configured("liquibase.command.contexts").getValue()).isEqualTo("postgresql");
        assertThat(configured("liquibase.command.contexts").getProvidedValue().getSourceDescription()).isEqualTo("Keel's settings");
        assertThat(configured("liquibase.command.labelFilter").getValue()).isEqualTo("!slow");
    }

    @Test
    void aSystemPropertyOutranksDotEnvAsForEveryKeelSetting() throws Exception {
        Files.writeString(root.resolve(".env"), "LIQUIBASE_COMMAND_CONTEXTS=mysql\n");
        System.setProperty(ROOT, root.toString());
        System.setProperty(UpdateSelection.CONTEXTS, "postgresql");
        try {
            assertThat(configured("liquibase.command.contexts").getValue()).isEqualTo("postgresql");
        } finally {
            System.clearProperty(UpdateSelection.CONTEXTS);
        }
    }

    @Test
    void liquibasesOwnPropertiesOutrankTheSettingsForKeelsGoalsAndChecksToo() throws Exception {
        Files.writeString(root.resolve(".env"), "LIQUIBASE_COMMAND_CONTEXTS=prod\nLIQUIBASE_COMMAND_LABEL_FILTER=search\n");
        System.setProperty(ROOT, root.toString());
        assertThat(UpdateSelection.fromSettings()).isEqualTo(new UpdateSelection("prod", "search"));
        System.setProperty("liquibase.contexts", "dev,faker");
        System.setProperty("liquibase.labelFilter", "!slow");
        try {
            assertThat(UpdateSelection.fromSettings()).isEqualTo(new UpdateSelection("dev,faker", "!slow"));
        } finally {
            System.clearProperty("liquibase.contexts");
            System.clearProperty("liquibase.labelFilter");
        }
    }

    @Test
    void withoutThemLiquibaseHasNone() throws Exception {
        Files.writeString(root.resolve(".env"), "DB_NAME=keel\nLIQUIBASE_COMMAND_CONTEXTS=\n");
        System.setProperty(ROOT, root.toString());

        assertThat(configured("liquibase.command.contexts").getValue()).isNull();
    }

    private static ConfiguredValue<?> configured(String key) {
        return Scope.getCurrentScope().getSingleton(LiquibaseConfiguration.class).getCurrentConfiguredValue(null, null, key);
    }
}
