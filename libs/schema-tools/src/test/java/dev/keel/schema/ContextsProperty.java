package dev.keel.schema;

import dev.keel.db.liquibase.UpdateSelection;
import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * {@link UpdateSelection#CONTEXTS} as a system property for one test, which every class in the JVM reads (so its tests
 * run {@code @Isolated}); what a line of {@code .mvn/maven.config} set for the whole build is put back afterwards.
 */
public final class ContextsProperty implements AfterEachCallback {

    private final String before = System.getProperty(UpdateSelection.CONTEXTS);

    public void set(String contexts) {
        System.setProperty(UpdateSelection.CONTEXTS, contexts);
    }

    @Override
    public void afterEach(ExtensionContext context) {
        if (before == null) {
            System.clearProperty(UpdateSelection.CONTEXTS);
        } else {
            System.setProperty(UpdateSelection.CONTEXTS, before);
        }
    }
}
