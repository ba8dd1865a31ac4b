package dev.keel.architecture;

import static org.assertj.core.api.Assertions.assertThat;

import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.lang.ArchRule;
import com.tngtech.archunit.lang.EvaluationResult;
import dev.keel.persistence.fixture.DependsOnTheService;
import dev.keel.persistence.fixture.DependsOnTheTools;
import dev.keel.backend.fixture.ServiceThrowingWebTypes;
import dev.keel.backend.fixture.ServiceUsingTheTestDatabase;
import dev.keel.backend.fixture.CallsSetGenerateDdl;
import dev.keel.backend.fixture.CreatesTablesThroughJpa;
import dev.keel.backend.fixture.EntityController;
import dev.keel.backend.fixture.InlinesADdlSetting;
import dev.keel.backend.fixture.RunsLiquibase;
import dev.keel.backend.fixture.ShortcutController;
import dev.keel.backend.fixture.ShortcutService;
import dev.keel.backend.fixture.UsesSchemaTool;
import dev.keel.persistence.fixture.FixtureRepository;
import dev.keel.persistence.guard.AutoDdlSettings;
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
    void reportsTablesCreatedThroughJpasSchemaManagerButNotItsValidation() {
        assertThat(violations(ArchitectureRules.NO_SCHEMA_MANAGER_CHANGES, CreatesTablesThroughJpa.class))
                .contains("calls method <jakarta.persistence.SchemaManager.create(boolean)>")
                .contains("calls method <org.hibernate.relational.SchemaManager.exportMappedObjects(boolean)>")
                .doesNotContain("validate");
    }

    @Test
    void reportsAnInlinedDdlSettingButNotTheGuard() {
        assertThat(violations(ArchitectureRules.NO_DDL_SETTINGS_IN_BYTECODE, InlinesADdlSetting.class, AutoDdlSettings.class))
                .contains("dev.keel.backend.fixture.InlinesADdlSetting contains \"hibernate.hbm2ddl.auto\" in its bytecode")
                .doesNotContain("AutoDdlSettings contains");
    }

    @Test
    void reportsAServiceCallingAController() {
        assertThat(violations(ArchitectureRules.LAYERS, ShortcutService.class, ShortcutController.class, FixtureRepository.class))
                .contains("Method <dev.keel.backend.fixture.ShortcutService.countThroughTheController(dev.keel.backend.fixture.ShortcutController)>"
                        + " calls method <dev.keel.backend.fixture.ShortcutController.count()>");
    }

    @Test
    void reportsAControllerSkippingTheServiceLayer() {
        assertThat(violations(ArchitectureRules.LAYERS, ShortcutController.class, FixtureRepository.class))
                .contains("Method <dev.keel.backend.fixture.ShortcutController.count()> calls method <dev.keel.persistence.fixture.FixtureRepository.count()>");
    }

    @Test
    void reportsAServiceUsingWebTypes() {
        assertThat(violations(ArchitectureRules.NO_WEB_TYPES_IN_SERVICES, ServiceThrowingWebTypes.class))
                .contains("calls constructor <org.springframework.web.server.ResponseStatusException.<init>")
                .contains("calls method <dev.keel.backend.web.Versions.etag(long)>");
    }

    @Test
    void reportsPersistenceDependingOnTheServiceOrTheTools() {
        assertThat(violations(ArchitectureRules.PERSISTENCE_DEPENDS_ONLY_ON_DB, DependsOnTheService.class, DependsOnTheTools.class))
                .contains("Field <dev.keel.persistence.fixture.DependsOnTheService.service> has type <dev.keel.backend.fixture.ShortcutService>")
                .contains("Field <dev.keel.persistence.fixture.DependsOnTheTools.project> has type <dev.keel.schema.Project>");
    }

    @Test
    void reportsDbDependingOnAnotherModule() {
        assertThat(violations(ArchitectureRules.DB_DEPENDS_ON_NO_MODULE, dev.keel.db.fixture.DependsOnPersistence.class))
                .contains("Field <dev.keel.db.fixture.DependsOnPersistence.entity> has type <dev.keel.persistence.fixture.FixtureEntity>");
    }

    @Test
    void reportsTheTestDatabaseDependingOnPersistence() {
        assertThat(violations(ArchitectureRules.TEST_DATABASE_DEPENDS_ONLY_ON_DB, dev.keel.testdb.fixture.DependsOnPersistence.class))
                .contains("Field <dev.keel.testdb.fixture.DependsOnPersistence.settings> has type <dev.keel.persistence.config.DatabaseSettings>");
    }

    @Test
    void reportsTheServiceUsingTestCode() {
        assertThat(violations(ArchitectureRules.SERVICE_USES_NO_TEST_OR_TOOL_CODE, ServiceUsingTheTestDatabase.class))
                .contains("calls method <dev.keel.testdb.TestPostgres.createMigratedDatabase()>");
    }

    @Test
    void reportsAnEntityInAControllerSignature() {
        assertThat(violations(ArchitectureRules.NO_ENTITY_IN_WEB_SIGNATURES, EntityController.class))
                .contains("has the entity dev.keel.persistence.fixture.FixtureEntity in its signature");
    }

    @Test
    void reportsTheServiceRunningLiquibase() {
        assertThat(violations(ArchitectureRules.NO_LIQUIBASE_RUNTIME_IN_SERVICE, RunsLiquibase.class))
                .contains("liquibase.integration.spring.SpringLiquibase");
    }

    @Test
    void reportsTheOnlineCheckDependingOnTheTools() {
        assertThat(violations(ArchitectureRules.ONLINE_CHECK_DEPENDS_ONLY_ON_DB_AND_TEST_DATABASE, dev.keel.online.fixture.DependsOnTheTools.class))
                .contains("Field <dev.keel.online.fixture.DependsOnTheTools.project> has type <dev.keel.schema.Project>");
    }

    @Test
    void reportsThePluginDependingOnTheTools() {
        assertThat(violations(ArchitectureRules.PLUGIN_DEPENDS_ON_NO_MODULE, dev.keel.maven.fixture.DependsOnTheTools.class))
                .contains("Field <dev.keel.maven.fixture.DependsOnTheTools.project> has type <dev.keel.schema.Project>");
    }

    @Test
    void reportsTheMigrationsDependingOnTheTestDatabase() {
        assertThat(violations(ArchitectureRules.MIGRATIONS_DEPEND_ONLY_ON_DB, dev.keel.migrations.fixture.DependsOnTheTestDatabase.class))
                .contains("Field <dev.keel.migrations.fixture.DependsOnTheTestDatabase.server> has type <dev.keel.testdb.TestPostgres$Server>");
    }

    @Test
    void reportsAToolDependingOnABenchmark() {
        assertThat(violations(ArchitectureRules.NOTHING_DEPENDS_ON_THE_BENCHMARKS, dev.keel.schema.fixture.DependsOnABenchmark.class))
                .contains("Field <dev.keel.schema.fixture.DependsOnABenchmark.demo> has type <dev.keel.bench.OnlineDemo>");
    }

    private static String violations(ArchRule rule, Class<?>... classes) {
        EvaluationResult result = rule.evaluate(new ClassFileImporter().importClasses(classes));
        assertThat(result.hasViolation()).as("the planted violation of: %s", rule.getDescription()).isTrue();
        return String.join("\n", result.getFailureReport().getDetails());
    }
}
