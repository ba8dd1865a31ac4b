package dev.keel.db.liquibase;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import liquibase.Scope;
import liquibase.ChecksumVersion;
import liquibase.change.CheckSum;
import liquibase.changelog.ChangeLogHistoryService;
import liquibase.changelog.ChangeLogHistoryServiceFactory;
import liquibase.changelog.ChangeSet;
import liquibase.changelog.DatabaseChangeLog;
import liquibase.changelog.RanChangeSet;
import liquibase.changelog.StandardChangeLogHistoryService;
import liquibase.command.CommandScope;
import liquibase.command.core.StatusCommandStep;
import liquibase.database.Database;
import liquibase.exception.CommandExecutionException;

/**
 * A database whose applied changesets are not a prefix of the changelog's order: a changeset is pending while one
 * after it in the changelog is applied, as when a branch's changeset was merged after another branch's newer one ran.
 * Liquibase would run it silently, after the newer one; {@code update} refuses unless {@value #ALLOW} is true.
 */
final class OutOfOrder {

    static final String ALLOW = "keel.allowOutOfOrder";
    static final String ALLOW_FLAG = "-D" + ALLOW + "=true";

    private OutOfOrder() {
    }

    /**
     * Refuses with {@code refusal} when a pending changeset comes before an applied one, unless {@value #ALLOW_FLAG}
     * allows it; then warns that it went ahead ({@code anyway}).
     */
    static void refuseOrWarn(CommandScope scope, String refusal, String anyway) throws Exception {
        List<String> findings = findings(scope);
        if (findings.isEmpty()) {
            return;
        }
        if (!allowed()) {
            throw new CommandExecutionException(summary(findings) + " " + refusal + " To apply it anyway, add " + ALLOW_FLAG + ".");
        }
        Scope.getCurrentScope().getUI().sendMessage("WARNING " + summary(findings) + " " + anyway + ", as " + ALLOW_FLAG + " allows.");
    }

    /** The findings as one sentence for update's message: the first few, then how many more and where all are listed. */
    static String summary(List<String> findings) {
        int shown = Math.min(findings.size(), 3);
        return "Out of order: " + String.join("; ", findings.subList(0, shown))
                + (findings.size() > shown ? "; and " + (findings.size() - shown) + " more pending changesets, which liquibase:status"
                + " (status in the migration jar) lists" : "") + ".";
    }

    /** One line per pending changeset that comes before an applied one, naming both; empty when the order holds. */
    static List<String> findings(CommandScope scope) throws Exception {
        List<RanChangeSet> ranChangeSets = applied(scope);
        if (ranChangeSets.isEmpty()) {
            return List.of();
        }
        Database database = (Database) scope.getDependency(Database.class);
        DatabaseChangeLog changelog = (DatabaseChangeLog) scope.getDependency(DatabaseChangeLog.class);
        Map<String, RanChangeSet> applied = new HashMap<>();
        for (RanChangeSet ran : ranChangeSets) {
            applied.put(key(ran.getChangeLog(), ran.getId(), ran.getAuthor()), ran);
        }
        List<ChangeSet> order = changelog.getChangeSets();
        Map<String, Integer> position = new HashMap<>();
        int[] nextApplied = new int[order.size() + 1];
        nextApplied[order.size()] = -1;
        for (int i = order.size() - 1; i >= 0; i--) {
            String key = key(order.get(i));
            position.putIfAbsent(key, i);
            nextApplied[i] = applied.containsKey(key) ? i : nextApplied[i + 1];
        }
        List<String> findings = new ArrayList<>();
        StatusCommandStep status = new StatusCommandStep();
        for (ChangeSet pending : status.listUnrunChangeSets(changelog.getChangeLogParameters().getContexts(),
                changelog.getChangeLogParameters().getLabels(), changelog, database)) {
            String key = key(pending);
            Integer at = position.get(key);
            if (at == null || applied.containsKey(key) || nextApplied[at + 1] < 0 || ChangesetFilters.forOtherDatabasesOnly(pending)
                    || ChangesetFilters.mayStayPending(pending)) {
                continue;
            }
            findings.add(pending.toString(false) + " is pending, but the database already applied "
                    + order.get(nextApplied[at + 1]).toString(false) + ", which comes after it in the changelog");
        }
        return findings;
    }

    /**
     * One line per changeset the database applied that the changelog no longer has (renamed by keel:rebase before it
     * was rolled back, or applied from another branch): Liquibase skips it on rollback and would apply its successor
     * on top of it.
     */
    static List<String> unknown(CommandScope scope) throws Exception {
        Map<String, ChangeSet> leftOut = new HashMap<>();
        ((DatabaseChangeLog) scope.getDependency(DatabaseChangeLog.class)).getSkippedChangeSets()
                .forEach(changeSet -> leftOut.putIfAbsent(key(changeSet), changeSet));
        return notInChangelog(scope).stream().map(ran -> {
            ChangeSet other = leftOut.get(key(ran.getChangeLog(), ran.getId(), ran.getAuthor()));
            if (other != null) {
                return "Not for PostgreSQL now: " + name(ran) + " is applied to this database, but the changelog now gives it dbms: "
                        + String.join(", ", other.getDbmsSet()) + ", so a new database does not get it and a rollback skips it. If that"
                        + " dbms was added to a released changeset, put the changeset back as it was and write a new one for the change";
            }
            return "Not in the changelog: " + name(ran) + " is applied to this database, but the changelog has no such changeset (renamed"
                    + " since, by keel:rebase for one, or from another branch); roll it back where it still exists, or its changes stay"
                    + " and a rollback skips them";
        }).toList();
    }

    /**
     * Refuses, naming {@code what} was not done, when a pending changeset is one this database applied under another name,
     * as {@code keel:rebase} renames a branch's changeset: an applied changeset the changelog no longer has, with the same
     * checksum. Update would run its changes a second time, and fail on them. Each line says how to record the new name.
     */
    static void refuseRenamed(CommandScope scope, String what) throws Exception {
        List<RanChangeSet> unknown = new ArrayList<>(notInChangelog(scope));
        unknown.removeIf(ran -> ran.getLastCheckSum() == null);
        if (unknown.isEmpty()) {
            return;
        }
        java.util.Set<String> applied = new java.util.HashSet<>();
        applied(scope).forEach(ran -> applied.add(key(ran.getChangeLog(), ran.getId(), ran.getAuthor())));
        List<String> lines = new ArrayList<>();
        // The first pending changeset before a renamed one: once the new name is recorded, update finds it out of order.
        ChangeSet pendingBefore = null;
        String outOfOrderAfter = null;
        for (ChangeSet pending : ((DatabaseChangeLog) scope.getDependency(DatabaseChangeLog.class)).getChangeSets()) {
            if (unknown.isEmpty() || applied.contains(key(pending)) || !ChangesetFilters.runByUpdate(pending)) {
                continue;
            }
            boolean renamed = false;
            for (RanChangeSet old : unknown) {
                CheckSum checksum = pending.generateCheckSum(ChecksumVersion.enumFromChecksumVersion(old.getLastCheckSum().getVersion()));
                if (checksum.toString().equals(old.getLastCheckSum().toString())) {
                    unknown.remove(old);
                    renamed = true;
                    lines.add("Renamed: " + pending.toString(false) + " is pending, but this database applied it as " + name(old)
                            + " before it was renamed (by keel:rebase, say), so update would run its changes again. On your own database,"
                            + " record the new name: UPDATE databasechangelog SET id = " + literal(pending.getId()) + ", filename = "
                            + literal(pending.getFilePath()) + " WHERE id = " + literal(old.getId()) + " AND author = " + literal(old.getAuthor())
                            + " AND filename = " + literal(old.getChangeLog()) + ";");
                    if (pendingBefore != null && outOfOrderAfter == null) {
                        outOfOrderAfter = "Once the new names are recorded, " + pendingBefore.toString(false) + ", pending before "
                                + pending.toString(false) + ", is out of order: apply it with -D" + ALLOW + "=true (on your own database that"
                                + " order does no harm), or start that database afresh with liquibase:dropAll.";
                    }
                    break;
                }
            }
            if (!renamed && pendingBefore == null && !ChangesetFilters.mayStayPending(pending)) {
                pendingBefore = pending;
            }
        }
        if (!lines.isEmpty()) {
            if (outOfOrderAfter != null) {
                lines.add(outOfOrderAfter);
            }
            throw new CommandExecutionException(String.join(System.lineSeparator(), lines) + System.lineSeparator() + what);
        }
    }

    /** The changesets the database applied that the changelog no longer has. */
    private static List<RanChangeSet> notInChangelog(CommandScope scope) throws Exception {
        List<RanChangeSet> ranChangeSets = applied(scope);
        if (ranChangeSets.isEmpty()) {
            return List.of();
        }
        java.util.Set<String> known = new java.util.HashSet<>();
        ((DatabaseChangeLog) scope.getDependency(DatabaseChangeLog.class)).getChangeSets().forEach(changeSet -> known.add(key(changeSet)));
        return ranChangeSets.stream().filter(ran -> !known.contains(key(ran.getChangeLog(), ran.getId(), ran.getAuthor()))).toList();
    }

    private static String name(RanChangeSet ran) {
        return DatabaseChangeLog.normalizePath(ran.getChangeLog()) + "::" + ran.getId() + "::" + ran.getAuthor();
    }

    private static String literal(String text) {
        return "'" + text.replace("'", "''") + "'";
    }

    /**
     * One line per changeset that Liquibase's status lists as pending although update may never record it: one for other
     * databases only, which update runs none of on PostgreSQL, and one that update {@linkplain ChangesetFilters#mayStayPending
     * skips or lets fail} until it applies.
     */
    static List<String> neverRecorded(CommandScope scope) throws Exception {
        DatabaseChangeLog changelog = (DatabaseChangeLog) scope.getDependency(DatabaseChangeLog.class);
        if (changelog == null) {
            return List.of();
        }
        java.util.Set<String> applied = new java.util.HashSet<>();
        applied(scope).forEach(ran -> applied.add(key(ran.getChangeLog(), ran.getId(), ran.getAuthor())));
        List<String> lines = new ArrayList<>();
        for (ChangeSet changeSet : changelog.getChangeSets()) {
            if (applied.contains(key(changeSet))) {
                continue;
            }
            if (ChangesetFilters.forOtherDatabasesOnly(changeSet)) {
                lines.add("For other databases only: " + changeSet.toString(false) + " has changes for other databases (dbms) only;"
                        + " update runs none of it on PostgreSQL and does not record it, so it is listed as pending but never is");
            } else if (ChangesetFilters.mayStayPending(changeSet)) {
                lines.add("May stay pending: " + changeSet.toString(false) + " continues past a failed precondition (onFail or onError:"
                        + " CONTINUE) or its own failure (failOnError: false), or runs only on another operating system (executeCommand's"
                        + " os); update records it only once it applies, and tries it again each time until then, so out of order it is"
                        + " no error");
            }
        }
        return lines;
    }

    /** The changesets the database applied; none when the scope has no database or changelog, or none was ever applied. */
    static List<RanChangeSet> applied(CommandScope scope) throws Exception {
        Database database = (Database) scope.getDependency(Database.class);
        if (database == null || scope.getDependency(DatabaseChangeLog.class) == null) {
            return List.of();
        }
        ChangeLogHistoryService history = Scope.getCurrentScope().getSingleton(ChangeLogHistoryServiceFactory.class).getChangeLogService(database);
        if (history instanceof StandardChangeLogHistoryService standard && !standard.hasDatabaseChangeLogTable()) {
            return List.of();
        }
        return history.getRanChangeSets();
    }

    static boolean allowed() {
        Object scoped = Scope.getCurrentScope().get(ALLOW, Object.class);
        return Boolean.parseBoolean(String.valueOf(scoped != null ? scoped : System.getProperty(ALLOW)));
    }

    static String key(ChangeSet changeSet) {
        return key(changeSet.getFilePath(), changeSet.getId(), changeSet.getAuthor());
    }

    static String key(String file, String id, String author) {
        return (DatabaseChangeLog.normalizePath(file) + "::" + id + "::" + author).toLowerCase(Locale.ROOT);
    }
}
