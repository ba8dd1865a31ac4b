package dev.keel.persistence.guard;

import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;

/**
 * The settings that would let Hibernate or JPA generate DDL, and the values that keep them harmless.
 * Keys are compared the way Spring's relaxed binding sees them, so {@code spring.jpa.hibernate.ddl-auto},
 * {@code spring.jpa.hibernate.ddlAuto} and {@code SPRING_JPA_HIBERNATE_DDL_AUTO} are one key.
 * This is the one class allowed to name them (the ArchUnit rule says so).
 */
public final class AutoDdlSettings {

    /** What a forbidden key ends with, in canonical form; a prefix (profile, YAML path, env map) may come before. */
    private static final List<String> FORBIDDEN_SUFFIXES = List.of(
            canonical("ddl-auto"),                                    // spring.jpa.hibernate.ddl-auto, hibernate.hbm2ddl.auto
            canonical("generate-ddl"),                                // spring.jpa.generate-ddl
            canonical("schema-generation.database.action"));          // jakarta./javax.persistence.schema-generation.database.action

    private static final Set<String> HARMLESS_VALUES = Set.of("none", "validate", "false");

    /** The keys as they are usually written, for messages and for the ArchUnit rule. */
    public static final List<String> KEYS = List.of(
            "spring.jpa.hibernate.ddl-auto",
            "hibernate.hbm2ddl.auto",
            "spring.jpa.generate-ddl",
            "jakarta.persistence.schema-generation.database.action",
            "javax.persistence.schema-generation.database.action");

    private static final String LIQUIBASE_ENABLED = canonical("spring.liquibase.enabled");
    private static final String SQL_INIT_MODE = canonical("spring.sql.init.mode");

    private AutoDdlSettings() {
    }

    /** Lower case without '.', '-' and '_': the form in which relaxed binding's spellings coincide. */
    public static String canonical(String key) {
        return key.toLowerCase(Locale.ROOT).replaceAll("[^a-z0-9]", "");
    }

    /** Why a key set to a value would generate DDL, or empty when it would not. */
    public static Optional<String> problem(String key, Object value) {
        String canonical = canonical(key);
        String text = value == null ? "" : value.toString().strip().toLowerCase(Locale.ROOT);
        boolean schemaKey = FORBIDDEN_SUFFIXES.stream().anyMatch(canonical::endsWith);
        if (schemaKey && !HARMLESS_VALUES.contains(text)) {
            return Optional.of("lets the ORM generate DDL; only none, validate or false are allowed, because the db module's changelog owns the schema");
        }
        if (canonical.endsWith(SQL_INIT_MODE) && text.equals("always")) {
            return Optional.of("runs SQL scripts against the database at start-up; schema changes go through the changelog");
        }
        return Optional.empty();
    }

    /** As {@link #problem}, plus what only the service may not do: run Spring's Liquibase integration. */
    public static Optional<String> serviceProblem(String key, Object value) {
        if (canonical(key).endsWith(LIQUIBASE_ENABLED) && "true".equalsIgnoreCase(String.valueOf(value).strip())) {
            return Optional.of("would run migrations at start-up; the service never migrates, `mvn -pl db liquibase:update` does");
        }
        return problem(key, value);
    }
}
