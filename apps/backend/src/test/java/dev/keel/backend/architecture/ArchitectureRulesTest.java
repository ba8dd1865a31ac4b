package dev.keel.backend.architecture;

import static org.assertj.core.api.Assertions.assertThat;

import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.lang.ArchRule;
import com.tngtech.archunit.lang.EvaluationResult;
import dev.keel.persistence.fixture.DependsOnTheService;
import dev.keel.backend.fixture.CallsSetGenerateDdl;
import dev.keel.backend.fixture.EntityController;
import dev.keel.backend.fixture.InlinesADdlSetting;
import dev.keel.backend.fixture.RunsLiquibase;
import dev.keel.backend.fixture.ShortcutController;
import dev.keel.backend.fixture.ShortcutService;
import dev.keel.backend.fixture.UsesSchemaTool;
import dev.keel.persistence.guard.AutoDdlSettings;
import dev.keel.persistence.users.UserRepository;
import org.junit.jupiter.api.Test;

/** Every rule is proven live: a planted violation (a fixture class in test code) is reported as expected. */
class ArchitectureRulesTest {

    @Test
    void reportsACallToSetGenerateDdl() {
        assertThat(violations(ArchitectureRules.NO_GENERATE_DDL_CALLS, CallsSetGenerateDdl.class))
                .contains("calls method <org.springframework.orm.jpa.vendor.HibernateJpaVendorAdapter.setGenerateDdl(boolean)>");
    }

    @Test
    void reportsUseOfHibernateSchemaTooling() {
        assertThat(violations(ArchitectureRules.NO_HIBERNATE_SCHEMA_TOOLING, UsesSchemaTool.class))
                .contains("org.hibernate.tool.schema.spi.SchemaManagementToolCoordinator");
    }

    @Test
    void reportsAnInlinedDdlSettingButNotTheGuard() {
        assertThat(violations(ArchitectureRules.NO_DDL_SETTINGS_IN_BYTECODE, InlinesADdlSetting.class, AutoDdlSettings.class))
                .contains("dev.keel.backend.fixture.InlinesADdlSetting contains \"hibernate.hbm2ddl.auto\" in its bytecode")
                .doesNotContain("AutoDdlSettings contains");
    }

    @Test
    void reportsAServiceCallingAController() {
        assertThat(violations(ArchitectureRules.LAYERS, ShortcutService.class, ShortcutController.class, UserRepository.class))
                .contains("Method <dev.keel.backend.fixture.ShortcutService.countThroughTheController(dev.keel.backend.fixture.ShortcutController)>"
                        + " calls method <dev.keel.backend.fixture.ShortcutController.count()>");
    }

    @Test
    void reportsAControllerSkippingTheServiceLayer() {
        assertThat(violations(ArchitectureRules.LAYERS, ShortcutController.class, UserRepository.class))
                .contains("Method <dev.keel.backend.fixture.ShortcutController.count()> calls method <dev.keel.persistence.users.UserRepository.count()>");
    }

    @Test
    void reportsPersistenceDependingOnTheService() {
        assertThat(violations(ArchitectureRules.PERSISTENCE_NEVER_DEPENDS_ON_APPS, DependsOnTheService.class))
                .contains("dev.keel.persistence.fixture.DependsOnTheService");
    }

    @Test
    void reportsAnEntityInAControllerSignature() {
        assertThat(violations(ArchitectureRules.NO_ENTITY_IN_WEB_SIGNATURES, EntityController.class))
                .contains("has the entity dev.keel.persistence.users.User in its signature");
    }

    @Test
    void reportsTheServiceRunningLiquibase() {
        assertThat(violations(ArchitectureRules.NO_LIQUIBASE_RUNTIME_IN_SERVICE, RunsLiquibase.class))
                .contains("liquibase.integration.spring.SpringLiquibase");
    }

    private static String violations(ArchRule rule, Class<?>... classes) {
        EvaluationResult result = rule.evaluate(new ClassFileImporter().importClasses(classes));
        assertThat(result.hasViolation()).as("the planted violation of: %s", rule.getDescription()).isTrue();
        return String.join("\n", result.getFailureReport().getDetails());
    }
}
