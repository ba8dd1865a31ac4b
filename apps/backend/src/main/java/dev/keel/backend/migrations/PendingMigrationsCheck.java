package dev.keel.backend.migrations;

import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.InitializingBean;
import org.springframework.dao.DataAccessException;

/**
 * Runs before JPA starts (see {@link MigrationsConfiguration}): compares the changelog with the database
 * and refuses to start when the database is behind, instead of letting Hibernate fail on a missing table, or ahead:
 * it applied changesets this changelog lacks, as after the service was rolled back past a migration.
 */
public class PendingMigrationsCheck implements InitializingBean {

    static final String APPLY_COMMAND = "mvn -pl db liquibase:update";
    private static final Logger LOG = LoggerFactory.getLogger(PendingMigrationsCheck.class);

    private final Changelog changelog;
    private final MigrationsProperties properties;
    private final String target;

    /** {@code target} names the database and role, for messages. */
    public PendingMigrationsCheck(Changelog changelog, MigrationsProperties properties, String target) {
        this.changelog = changelog;
        this.properties = properties;
        this.target = target;
    }

    @Override
    public void afterPropertiesSet() {
        List<Changelog.Id> pending;
        List<Changelog.Id> unknown;
        try {
            Changelog.Comparison comparison = changelog.compare();
            pending = comparison.pending();
            unknown = comparison.unknown();
        } catch (DataAccessException e) {
            throw new DatabaseUnusableException(target, e);
        }
        if (pending.isEmpty() && unknown.isEmpty()) {
            LOG.info("Database is up to date with the changelog");
        } else if (properties.onPending() == MigrationsProperties.OnPending.WARN) {
            if (!pending.isEmpty()) {
                LOG.warn("{} changeset(s) are not applied: {}. Apply them with: {}", pending.size(), pending, APPLY_COMMAND);
            }
            if (!unknown.isEmpty()) {
                LOG.warn("The database applied {} changeset(s) that the changelog lacks: {}", unknown.size(), unknown);
            }
        } else {
            throw new PendingMigrationsException(pending, unknown);
        }
    }
}
