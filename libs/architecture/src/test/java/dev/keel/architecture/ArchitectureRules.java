package dev.keel.architecture;

import static com.tngtech.archunit.core.domain.JavaCall.Predicates.target;
import static com.tngtech.archunit.core.domain.JavaClass.Predicates.assignableTo;
import static com.tngtech.archunit.core.domain.properties.HasName.Predicates.name;
import static com.tngtech.archunit.core.domain.properties.HasName.Predicates.nameMatching;
import static com.tngtech.archunit.core.domain.properties.HasOwner.Predicates.With.owner;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.methods;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static com.tngtech.archunit.library.Architectures.layeredArchitecture;

import com.tngtech.archunit.base.DescribedPredicate;
import com.tngtech.archunit.core.domain.JavaClass;
import com.tngtech.archunit.core.domain.JavaMethod;
import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.core.importer.Location;
import com.tngtech.archunit.lang.ArchCondition;
import com.tngtech.archunit.lang.ArchRule;
import com.tngtech.archunit.lang.ConditionEvents;
import com.tngtech.archunit.lang.SimpleConditionEvent;
import dev.keel.persistence.guard.AutoDdlSettings;
import jakarta.persistence.Entity;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.springframework.stereotype.Service;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.bind.annotation.RestControllerAdvice;

/**
 * Keel's architecture rules. ArchitectureTest runs them over the production classes of every module;
 * ArchitectureRulesTest plants a violation of each and checks that it is reported.
 */
final class ArchitectureRules {

    /** The one class allowed to name the DDL settings: the guard that looks for them. */
    static final Class<?> AUTO_DDL_GUARD = AutoDdlSettings.class;

    /**
     * Production classes only: no test classes, no test-jars, and not the classes Spring's ahead-of-time step
     * generates at package time (bean definitions, CGLIB proxies), which stay in target/classes for the next build.
     */
    static final class ProductionCode implements ImportOption {

        private static final Pattern SPRING_AOT = Pattern.compile(".*(__[A-Za-z]+|\\$\\$SpringCGLIB\\$\\$\\d+)(\\$.*)?\\.class$");

        @Override
        public boolean includes(Location location) {
            return new DoNotIncludeTests().includes(location) && !location.matches(SPRING_AOT);
        }
    }

    private ArchitectureRules() {
    }

    static final ArchRule NO_GENERATE_DDL_CALLS = noClasses()
            .should().callMethodWhere(target(name("setGenerateDdl")))
            .because("the schema belongs to the db module's changelog; the ORM never generates DDL");

    static final ArchRule NO_HIBERNATE_SCHEMA_TOOLING = noClasses()
            .should().dependOnClassesThat().resideInAnyPackage("org.hibernate.tool.schema..", "org.hibernate.tool.hbm2ddl..")
            .because("SchemaExport, SchemaUpdate and the schema-management tool change the schema outside the changelog");

    static final ArchRule NO_SCHEMA_MANAGER_CHANGES = noClasses()
            .should().callMethodWhere(target(owner(assignableTo(jakarta.persistence.SchemaManager.class)))
                    .and(target(nameMatching("create|drop|truncate|exportMappedObjects|dropMappedObjects|truncateMappedObjects|truncateTable|populate"))))
            .because("JPA's schema manager creates, drops and empties tables outside the changelog; only its validate, which reads the schema, may be used");

    static final ArchRule NO_DDL_SETTINGS_IN_BYTECODE = noClasses()
            .that().doNotBelongToAnyOf(AUTO_DDL_GUARD)
            .should(containStrings(AutoDdlSettings.KEYS))
            .because("javac inlines constants, so a DDL-generating setting can hide in any class file; only "
                    + AUTO_DDL_GUARD.getSimpleName() + " may name them");

    private static final DescribedPredicate<JavaClass> WEB = DescribedPredicate.describe("web (the web package, controllers and advice)",
            c -> c.getPackageName().startsWith("dev.keel.backend.web") || c.isAnnotatedWith(RestController.class)
                    || c.isAnnotatedWith(RestControllerAdvice.class));
    private static final DescribedPredicate<JavaClass> SERVICE = DescribedPredicate.describe("services (@Service)",
            c -> c.isAnnotatedWith(Service.class));
    private static final DescribedPredicate<JavaClass> MAPPING = DescribedPredicate.describe("mappers",
            c -> c.getSimpleName().endsWith("Mapper") || c.getSimpleName().endsWith("MapperImpl"));

    static final ArchRule LAYERS = layeredArchitecture().consideringAllDependencies().withOptionalLayers(true)
            .layer("Web").definedBy(WEB)
            .layer("Service").definedBy(SERVICE)
            .layer("Mapping").definedBy(MAPPING)
            .layer("Persistence").definedBy("dev.keel.persistence..")
            .whereLayer("Web").mayNotBeAccessedByAnyLayer()
            .whereLayer("Service").mayOnlyBeAccessedByLayers("Web", "Service")
            .whereLayer("Persistence").mayOnlyBeAccessedByLayers("Service", "Mapping")
            .because("requests go web -> service -> persistence, and transactions live in services");

    static final ArchRule NO_WEB_TYPES_IN_SERVICES = noClasses()
            .that().areAnnotatedWith(Service.class)
            .should().dependOnClassesThat().resideInAnyPackage("dev.keel.backend.web..", "org.springframework.web..", "jakarta.servlet..")
            .because("services speak the domain's language (dev.keel.backend.errors); only the web layer knows HTTP")
            // A team that replaced the sample has no service until it writes one; the planted violation proves the rule.
            .allowEmptyShould(true);

    static final ArchRule PERSISTENCE_DEPENDS_ONLY_ON_DB = noClasses()
            .that().resideInAPackage("dev.keel.persistence..")
            .should().dependOnClassesThat().resideInAnyPackage("dev.keel.backend..", "dev.keel.schema..", "dev.keel.testdb..", "dev.keel.online..",
                    "dev.keel.bench..")
            .because("libs/persistence is a library that applications use, never the other way round, and it ships no test or tool code");

    static final ArchRule DB_DEPENDS_ON_NO_MODULE = noClasses()
            .that().resideInAPackage("dev.keel.db..")
            .should().dependOnClassesThat().resideInAnyPackage("dev.keel.persistence..", "dev.keel.backend..", "dev.keel.testdb..", "dev.keel.schema..",
                    "dev.keel.online..", "dev.keel.maven..", "dev.keel.bench..")
            .because("every liquibase:* goal resolves db's dependencies, so db must stand alone");

    static final ArchRule TEST_DATABASE_DEPENDS_ONLY_ON_DB = noClasses()
            .that().resideInAPackage("dev.keel.testdb..")
            .should().dependOnClassesThat().resideInAnyPackage("dev.keel.persistence..", "dev.keel.backend..", "dev.keel.schema..", "dev.keel.online..",
                    "dev.keel.bench..")
            .because("libs/test-database serves every module's tests, so it may know only the changelog and the settings");

    static final ArchRule SERVICE_USES_NO_TEST_OR_TOOL_CODE = noClasses()
            .that().resideInAPackage("dev.keel.backend..")
            .should().dependOnClassesThat().resideInAnyPackage("dev.keel.testdb..", "dev.keel.schema..", "dev.keel.online..", "dev.keel.bench..")
            .because("libs/test-database, the tools, the online check and the benchmarks are for tests and developers, never part of the service");

    static final ArchRule ONLINE_CHECK_DEPENDS_ONLY_ON_DB_AND_TEST_DATABASE = noClasses()
            .that().resideInAPackage("dev.keel.online..")
            .should().dependOnClassesThat().resideInAnyPackage("dev.keel.schema..", "dev.keel.persistence..", "dev.keel.backend..", "dev.keel.bench..")
            .because("libs/online-check is an engine that the tools drive; it knows the changelog, the settings and the test databases only");

    static final ArchRule PLUGIN_DEPENDS_ON_NO_MODULE = noClasses()
            .that().resideInAPackage("dev.keel.maven..")
            .should().dependOnClassesThat().resideInAnyPackage("dev.keel.db..", "dev.keel.testdb..", "dev.keel.schema..", "dev.keel.online..",
                    "dev.keel.persistence..", "dev.keel.backend..", "dev.keel.bench..")
            .because("the committed plugin must not change when the tools do: it loads them by name, on their own class path");

    static final ArchRule MIGRATIONS_DEPEND_ONLY_ON_DB = noClasses()
            .that().resideInAPackage("dev.keel.migrations..")
            .should().dependOnClassesThat().resideInAnyPackage("dev.keel.testdb..", "dev.keel.schema..", "dev.keel.online..",
                    "dev.keel.persistence..", "dev.keel.backend..", "dev.keel.bench..", "dev.keel.maven..")
            .because("the migration jar runs in production: it carries the changelog and its extension, never the tools or the tests' databases");

    static final ArchRule NOTHING_DEPENDS_ON_THE_BENCHMARKS = noClasses()
            .that().resideOutsideOfPackage("dev.keel.bench..")
            .should().dependOnClassesThat().resideInAPackage("dev.keel.bench..")
            .because("benchmarks print figures; none of their code belongs on a tool's or the service's class path");

    static final ArchRule NO_ENTITY_IN_WEB_SIGNATURES = methods()
            .that().areDeclaredInClassesThat().areAnnotatedWith(RestController.class)
            .should(notMentionAnEntity())
            .because("controllers take and return DTOs; an entity on the web boundary leaks the schema and lazy loading")
            .allowEmptyShould(true);

    static final ArchRule NO_LIQUIBASE_RUNTIME_IN_SERVICE = noClasses()
            .that().resideInAPackage("dev.keel.backend..")
            .should().dependOnClassesThat().resideInAnyPackage("liquibase.integration..", "liquibase.command..", "org.springframework.boot.liquibase..")
            .orShould().dependOnClassesThat().haveFullyQualifiedName("liquibase.Liquibase")
            .because("the service never migrates; it only reads the changelog to refuse a database that is behind");

    static List<ArchRule> all() {
        return List.of(NO_GENERATE_DDL_CALLS, NO_HIBERNATE_SCHEMA_TOOLING, NO_SCHEMA_MANAGER_CHANGES, NO_DDL_SETTINGS_IN_BYTECODE, LAYERS, NO_WEB_TYPES_IN_SERVICES,
                PERSISTENCE_DEPENDS_ONLY_ON_DB, DB_DEPENDS_ON_NO_MODULE, TEST_DATABASE_DEPENDS_ONLY_ON_DB, SERVICE_USES_NO_TEST_OR_TOOL_CODE,
                NO_ENTITY_IN_WEB_SIGNATURES, NO_LIQUIBASE_RUNTIME_IN_SERVICE, ONLINE_CHECK_DEPENDS_ONLY_ON_DB_AND_TEST_DATABASE,
                PLUGIN_DEPENDS_ON_NO_MODULE, MIGRATIONS_DEPEND_ONLY_ON_DB, NOTHING_DEPENDS_ON_THE_BENCHMARKS);
    }

    /** Reads the class file itself, where javac has inlined every constant string. */
    private static ArchCondition<JavaClass> containStrings(List<String> strings) {
        return new ArchCondition<>("contain any of the strings " + strings + " in their bytecode") {
            @Override
            public void check(JavaClass javaClass, ConditionEvents events) {
                String bytes = new String(classFile(javaClass), StandardCharsets.ISO_8859_1);
                for (String string : strings) {
                    if (bytes.contains(new String(string.getBytes(StandardCharsets.UTF_8), StandardCharsets.ISO_8859_1))) {
                        events.add(SimpleConditionEvent.satisfied(javaClass,
                                javaClass.getName() + " contains \"" + string + "\" in its bytecode"));
                    }
                }
            }
        };
    }

    private static byte[] classFile(JavaClass javaClass) {
        URI uri = javaClass.getSource().orElseThrow(() -> new IllegalStateException("no class file for " + javaClass.getName())).getUri();
        try (InputStream in = uri.toURL().openStream()) {
            return in.readAllBytes();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static ArchCondition<JavaMethod> notMentionAnEntity() {
        return new ArchCondition<>("not mention a JPA entity in their signature") {
            @Override
            public void check(JavaMethod method, ConditionEvents events) {
                Set<JavaClass> involved = new HashSet<>(method.getReturnType().getAllInvolvedRawTypes());
                method.getParameterTypes().forEach(type -> involved.addAll(type.getAllInvolvedRawTypes()));
                Stream.of(involved.toArray(JavaClass[]::new))
                        .filter(type -> type.isAnnotatedWith(Entity.class))
                        .forEach(entity -> events.add(SimpleConditionEvent.violated(method,
                                method.getFullName() + " has the entity " + entity.getName() + " in its signature")));
            }
        };
    }
}
