package dev.keel.testdb;

import liquibase.changelog.ChangeSet;
import liquibase.changelog.DatabaseChangeLog;

/** How the checks name a changeset in their reports. */
public final class ChangesetNames {

    private ChangesetNames() {
    }

    /**
     * {@code file::id}, short enough for a line; {@code file::id::author} when another changeset of the changelog has the
     * same file and id, as when several authors number their changesets alike under one {@code logicalFilePath}.
     */
    public static String of(ChangeSet changeSet) {
        String name = changeSet.getFilePath() + "::" + changeSet.getId();
        DatabaseChangeLog root = changeSet.getChangeLog() == null ? null : changeSet.getChangeLog().getRootChangeLog();
        boolean shared = root != null && root.getChangeSets().stream().anyMatch(other -> other != changeSet
                && other.getId().equals(changeSet.getId()) && other.getFilePath().equals(changeSet.getFilePath()));
        return shared ? name + "::" + changeSet.getAuthor() : name;
    }
}
