package dev.keel.persistence.guard;

import org.springframework.boot.diagnostics.FailureAnalysis;
import org.springframework.boot.diagnostics.FailureAnalyzer;

/**
 * Hibernate's {@code ddl-auto=validate} found an entity that the database does not match. Reported with the two
 * commands of the daily loop that fix it, instead of Hibernate's bare "Schema-validation: missing column".
 */
class SchemaValidationFailureAnalyzer implements FailureAnalyzer {

    static final String GENERATE_COMMAND = "mvn keel:generate -Dname=<Name>";

    /** Matched by name: the architecture rules keep Hibernate's schema tooling out of every module's code. */
    private static final String SCHEMA_MANAGEMENT_EXCEPTION = "org.hibernate.tool.schema.spi.SchemaManagementException";

    @Override
    public FailureAnalysis analyze(Throwable failure) {
        for (Throwable cause = failure; cause != null; cause = cause.getCause() == cause ? null : cause.getCause()) {
            if (cause.getClass().getName().equals(SCHEMA_MANAGEMENT_EXCEPTION)) {
                String message = String.valueOf(cause.getMessage());
                // Hibernate compares JDBC types: a String on a char(n) column differs there though generate sees one type.
                String mapping = message.contains("wrong column type") ? "If the column's type is the one you want, map the field to it:"
                        + " a String on a char(n) column needs @JdbcTypeCode(SqlTypes.CHAR), which generate cannot write for you."
                        + System.lineSeparator() : "";
                return new FailureAnalysis("The entities and the database disagree: " + message,
                        mapping + "If you changed an entity, write the changeset with: " + GENERATE_COMMAND + System.lineSeparator()
                                + "then apply it with: mvn -pl db liquibase:update. If the changelog already has the change, apply it"
                                + " with: mvn -pl db liquibase:update.", cause);
            }
        }
        return null;
    }
}
