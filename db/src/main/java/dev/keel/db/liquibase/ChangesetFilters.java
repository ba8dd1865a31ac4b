package dev.keel.db.liquibase;

import liquibase.change.DbmsTargetedChange;
import liquibase.change.core.ExecuteShellCommandChange;
import liquibase.changelog.ChangeSet;
import liquibase.database.DatabaseList;
import liquibase.precondition.core.PreconditionContainer;

/** Which changesets of a changelog Keel's checks and the service count, the way {@code liquibase:update} sees them. */
public final class ChangesetFilters {

    private ChangesetFilters() {
    }

    /**
     * Whether {@code liquibase:update} ever runs this changeset on PostgreSQL: it is not {@code ignore: true}, its
     * {@code dbms}, if any, takes in PostgreSQL, and it is not {@linkplain #forOtherDatabasesOnly for other databases
     * only}. Contexts and labels are the command line's choice, so they are not read.
     * Like Liquibase's own dbms filter on an update, it also drops the changeset's {@code modifySql} for other databases,
     * so that running the changeset directly runs what the update runs.
     */
    public static boolean runByUpdate(ChangeSet changeSet) {
        changeSet.getSqlVisitors().removeIf(visitor -> !DatabaseList.definitionMatches(visitor.getApplicableDbms(), "postgresql", true));
        return !changeSet.isIgnore() && DatabaseList.definitionMatches(changeSet.getDbmsSet(), "postgresql", true)
                && !forOtherDatabasesOnly(changeSet);
    }

    /**
     * Whether every change of the changeset names a {@code dbms} without PostgreSQL, such as a {@code sql} for MariaDB
     * only. Liquibase runs none of it on PostgreSQL and does not record it either, so it would be pending for ever.
     */
    public static boolean forOtherDatabasesOnly(ChangeSet changeSet) {
        return !changeSet.getChanges().isEmpty() && changeSet.getChanges().stream().allMatch(change -> change instanceof DbmsTargetedChange targeted
                && targeted.getDbms() != null && !targeted.getDbms().isBlank() && !DatabaseList.definitionMatches(targeted.getDbms(), "postgresql", true));
    }

    /**
     * Whether update records the changeset although it runs nothing of it here: its changes are {@linkplain
     * #forOtherDatabasesOnly for other databases only}, and its preconditions say {@code onFail} or {@code onError:
     * MARK_RAN}, as one that checks {@code dbms: mysql} fails on PostgreSQL.
     */
    public static boolean mayBeMarkedRan(ChangeSet changeSet) {
        PreconditionContainer preconditions = changeSet.getPreconditions();
        return !changeSet.isIgnore() && DatabaseList.definitionMatches(changeSet.getDbmsSet(), "postgresql", true) && forOtherDatabasesOnly(changeSet)
                && preconditions != null && !preconditions.getNestedPreconditions().isEmpty()
                && (preconditions.getOnFail() == PreconditionContainer.FailOption.MARK_RAN
                || preconditions.getOnError() == PreconditionContainer.ErrorOption.MARK_RAN);
    }

    /**
     * Whether update may leave the changeset unrecorded, to try it again next time: its preconditions say
     * {@code onFail: CONTINUE} or {@code onError: CONTINUE}, it says {@code failOnError: false}, or every change is an
     * {@code executeCommand} for other operating systems. Liquibase records neither a changeset it skips that way nor
     * one that failed, so such a changeset can be pending on a database that is up to date.
     */
    public static boolean mayStayPending(ChangeSet changeSet) {
        PreconditionContainer preconditions = changeSet.getPreconditions();
        boolean continuesPastPreconditions = preconditions != null && (preconditions.getOnFail() == PreconditionContainer.FailOption.CONTINUE
                || preconditions.getOnError() == PreconditionContainer.ErrorOption.CONTINUE);
        boolean forOtherOperatingSystemsOnly = !changeSet.getChanges().isEmpty() && changeSet.getChanges().stream()
                .allMatch(change -> change instanceof ExecuteShellCommandChange command && !command.shouldRunOnOs());
        return continuesPastPreconditions || Boolean.FALSE.equals(changeSet.getFailOnError()) || forOtherOperatingSystemsOnly;
    }
}
