package dev.keel.db.liquibase;

import java.util.Map;
import liquibase.configuration.AbstractMapConfigurationValueProvider;

/**
 * Turns Liquibase's anonymous usage analytics off wherever this module is on the classpath: the db goals
 * (the plugin loads the extension jar) and every in-process run (tests, tools, the service's changelog check).
 * Without it each JVM first fetches a remote configuration. Its precedence is the lowest, so anyone who wants
 * analytics can still set {@code liquibase.analytics.enabled=true} (or LIQUIBASE_ANALYTICS_ENABLED).
 */
public final class AnalyticsOff extends AbstractMapConfigurationValueProvider {

    static final String KEY = "liquibase.analytics.enabled";

    @Override
    public int getPrecedence() {
        return 1;
    }

    @Override
    protected Map<?, ?> getMap() {
        return Map.of(KEY, "false");
    }

    @Override
    protected String getSourceDescription() {
        return "Keel's default (analytics off)";
    }
}
