package dev.keel.backend.migrations;

import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.InitializingBean;

/**
 * Runs before JPA starts (see {@link MigrationsConfiguration}): compares the changelog with the database
 * and refuses to start when the database is behind, instead of letting Hibernate fail on a missing table.
 */
public class PendingMigrationsCheck implements InitializingBean {

    static final String APPLY_COMMAND = "mvn -pl db liquibase:update";
    private static final Logger LOG = LoggerFactory.getLogger(PendingMigrationsCheck.class);

    private final Changelog changelog;
    private final MigrationsProperties properties;

    public PendingMigrationsCheck(Changelog changelog, MigrationsProperties properties) {
        this.changelog = changelog;
        this.properties = properties;
    }

    @Override
    public void afterPropertiesSet() {
        List<Changelog.Id> pending = changelog.pending();
        if (pending.isEmpty()) {
            LOG.info("Database is up to date with the changelog");
        } else if (properties.onPending() == MigrationsProperties.OnPending.WARN) {
            LOG.warn("{} changeset(s) are not applied: {}. Apply them with: {}", pending.size(), pending, APPLY_COMMAND);
        } else {
            throw new PendingMigrationsException(pending);
        }
    }
}
