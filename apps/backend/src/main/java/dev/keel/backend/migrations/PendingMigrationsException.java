package dev.keel.backend.migrations;

import java.util.List;

/** The database is behind the changelog; the service refuses to start on it. */
public class PendingMigrationsException extends RuntimeException {

    private final transient List<Changelog.Id> pending;

    public PendingMigrationsException(List<Changelog.Id> pending) {
        super(pending.size() + " changeset(s) of the changelog are not applied to the database");
        this.pending = List.copyOf(pending);
    }

    public List<Changelog.Id> pending() {
        return pending;
    }
}
