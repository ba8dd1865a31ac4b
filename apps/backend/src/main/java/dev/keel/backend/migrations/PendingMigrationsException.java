package dev.keel.backend.migrations;

import java.util.List;

/** The database is behind the changelog, or applied changesets the changelog lacks; the service refuses to start on it. */
public class PendingMigrationsException extends RuntimeException {

    private final transient List<Changelog.Id> pending;
    private final transient List<Changelog.Id> unknown;

    public PendingMigrationsException(List<Changelog.Id> pending, List<Changelog.Id> unknown) {
        super(pending.size() + " changeset(s) of the changelog are not applied to the database, and it applied " + unknown.size()
                + " that the changelog lacks");
        this.pending = List.copyOf(pending);
        this.unknown = List.copyOf(unknown);
    }

    public List<Changelog.Id> pending() {
        return pending;
    }

    /** Applied changesets that the changelog lacks. */
    public List<Changelog.Id> unknown() {
        return unknown;
    }
}
