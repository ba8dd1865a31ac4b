package dev.keel.persistence.config;

import dev.keel.db.settings.SettingsException;
import org.springframework.boot.diagnostics.AbstractFailureAnalyzer;
import org.springframework.boot.diagnostics.FailureAnalysis;

/** A bad setting (a malformed .env line, an empty or non-numeric value) stops the start with one line, not a stack trace. */
class SettingsFailureAnalyzer extends AbstractFailureAnalyzer<SettingsException> {

    @Override
    protected FailureAnalysis analyze(Throwable rootFailure, SettingsException cause) {
        return new FailureAnalysis("A database setting cannot be used: " + cause.getMessage(),
                "Fix it in the environment or in .env at the repository root; .env.example lists every key with its default.",
                cause);
    }
}
