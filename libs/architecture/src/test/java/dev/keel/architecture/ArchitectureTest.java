package dev.keel.architecture;

import static org.assertj.core.api.Assertions.assertThat;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.lang.ArchRule;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** Keel's architecture rules over the production classes of every module. */
class ArchitectureTest {

    private static JavaClasses production;

    @BeforeAll
    static void importProductionClasses() {
        production = new ClassFileImporter().withImportOption(new ArchitectureRules.ProductionCode()).importPackages("dev.keel");
    }

    static Stream<ArchRule> rules() {
        return ArchitectureRules.all().stream();
    }

    @Test
    void seesTheClassesOfEveryModule() {
        assertThat(production.containPackage("dev.keel.db.liquibase")).isTrue();
        assertThat(production.containPackage("dev.keel.persistence.config")).isTrue();
        assertThat(production.containPackage("dev.keel.backend.web")).isTrue();
        assertThat(production.containPackage("dev.keel.testdb")).isTrue();
        assertThat(production.containPackage("dev.keel.schema.generate")).isTrue();
        assertThat(production.containPackage("dev.keel.online")).isTrue();
        assertThat(production.containPackage("dev.keel.maven")).isTrue();
        assertThat(production.containPackage("dev.keel.bench")).isTrue();
        assertThat(production.containPackage("dev.keel.backend.fixture")).as("fixtures are test code").isFalse();
        assertThat(production.containPackage("dev.keel.driftfixture")).as("fixtures are test code").isFalse();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("rules")
    void productionCodeFollows(ArchRule rule) {
        rule.check(production);
    }
}
