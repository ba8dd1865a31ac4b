package dev.keel.persistence.guard;

import org.springframework.boot.diagnostics.AbstractFailureAnalyzer;
import org.springframework.boot.diagnostics.FailureAnalysis;

/** Reports a refused start in Boot's short form: what was found, where, and the fix. */
class AutoDdlFailureAnalyzer extends AbstractFailureAnalyzer<AutoDdlException> {

    @Override
    protected FailureAnalysis analyze(Throwable rootFailure, AutoDdlException cause) {
        return new FailureAnalysis(
                "A setting would let the ORM change the schema, which only the db module's changelog may do:"
                        + System.lineSeparator() + "    " + cause.getMessage(),
                "Remove the setting, or set it to validate or none. Schema changes go in a new changeset under db/src/main/resources/db/changelog/changes.",
                cause);
    }
}
