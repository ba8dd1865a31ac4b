package dev.keel.testdb;

import dev.keel.db.liquibase.UpdateSelection;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.HashSet;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import liquibase.ChecksumVersion;
import liquibase.ContextExpression;
import liquibase.Scope;
import liquibase.change.DbmsTargetedChange;
import liquibase.changelog.ChangeLogParameters;
import liquibase.changelog.ChangeSet;
import liquibase.changelog.DatabaseChangeLog;
import liquibase.database.core.PostgresDatabase;
import liquibase.parser.ChangeLogParserFactory;
import liquibase.resource.Resource;
import liquibase.resource.ResourceAccessor;
import liquibase.serializer.LiquibaseSerializable;

/** Liquibase's checksum of every changeset of a changelog, as it records them, without a database. */
public final class ChangelogChecksums {

    private ChangelogChecksums() {
    }

    /**
     * {@code file::id::author} to checksum, in changelog order; which of them run again when they change
     * ({@code runOnChange}) or on every update ({@code runAlways}), so that editing them is how they are meant to be used;
     * the file each is written in, which a {@code logicalFilePath} hides from its name; and, where it differs, the
     * checksum Keel wrote before it computed them as update does, leaving out every change with a {@code dbms}: a
     * released list may still hold it; and a hash of the text of every changelog file read, which also changes with what
     * a checksum leaves out (a precondition, a comment), for naming what is built from the changelog; and the file that
     * includes each changeset's file.
     */
    public record Checksums(Map<String, String> byChangeset, Set<String> rerunnable, Map<String, String> physicalFiles,
                            Map<String, String> earlier, String filesDigest, Map<String, String> includedBy, Map<String, String> outside) {
    }

    /**
     * What selects and guards a changeset but is no part of its checksum (Liquibase's rule, so that these can be fixed),
     * one line per attribute it has: its context, labels, dbms, preconditions, and whether it runs in a transaction,
     * stops the update on a failure, or is ignored.
     */
    public static String outsideChecksum(ChangeSet changeSet) {
        StringBuilder text = new StringBuilder();
        if (context(changeSet) != null) {
            text.append("context: ").append(context(changeSet)).append('\n');
        }
        if (labels(changeSet) != null) {
            text.append("labels: ").append(labels(changeSet)).append('\n');
        }
        if (dbms(changeSet) != null) {
            text.append("dbms: ").append(dbms(changeSet)).append('\n');
        }
        if (changeSet.getPreconditions() != null && !changeSet.getPreconditions().getNestedPreconditions().isEmpty()) {
            text.append("preconditions: ").append(described(changeSet.getPreconditions())).append('\n');
        }
        if (!changeSet.isRunInTransaction()) {
            text.append("runInTransaction: false\n");
        }
        if (changeSet.getFailOnError() != null && !changeSet.getFailOnError()) {
            text.append("failOnError: false\n");
        }
        if (changeSet.isIgnore()) {
            text.append("ignore: true\n");
        }
        return text.toString();
    }

    /** The changeset's own context expression, as written; null when it has none. */
    public static String context(ChangeSet changeSet) {
        ContextExpression context = changeSet.getContextFilter();
        return context == null || context.isEmpty() ? null : context.getOriginalString() != null ? context.getOriginalString() : context.toString();
    }

    /** The changeset's own labels, comma-separated; null when it has none. */
    public static String labels(ChangeSet changeSet) {
        return changeSet.getLabels() == null || changeSet.getLabels().isEmpty() ? null : changeSet.getLabels().toString();
    }

    /** The changeset's own dbms, sorted and comma-separated; null when it has none. */
    public static String dbms(ChangeSet changeSet) {
        return changeSet.getDbmsSet() == null || changeSet.getDbmsSet().isEmpty() ? null : String.join(",", new TreeSet<>(changeSet.getDbmsSet()));
    }

    /** A precondition as its kind and settings, nested ones included; values of other types are left out, as having no stable text. */
    private static String described(Object value) {
        if (value instanceof LiquibaseSerializable serializable) {
            StringBuilder text = new StringBuilder(serializable.getSerializedObjectName()).append('(');
            for (String field : new TreeSet<>(serializable.getSerializableFields())) {
                Object fieldValue;
                try {
                    fieldValue = serializable.getSerializableFieldValue(field);
                } catch (RuntimeException unreadable) {
                    continue;
                }
                String described = fieldValue == null ? null : described(fieldValue);
                if (described != null) {
                    text.append(field).append('=').append(described).append(' ');
                }
            }
            return text.toString().strip() + ")";
        }
        if (value instanceof java.util.Collection<?> values) {
            return values.stream().map(ChangelogChecksums::described).filter(java.util.Objects::nonNull)
                    .collect(java.util.stream.Collectors.joining(", ", "[", "]"));
        }
        return value instanceof String || value instanceof Number || value instanceof Boolean || value instanceof Enum<?> ? value.toString() : null;
    }

    /** {@code file::id::author} to checksum, in changelog order. */
    public static Map<String, String> of(String master, ResourceAccessor accessor) throws Exception {
        return read(master, accessor).byChangeset();
    }

    public static Checksums read(String master, ResourceAccessor accessor) throws Exception {
        Map<String, String> checksums = new LinkedHashMap<>();
        Set<String> rerunnable = new LinkedHashSet<>();
        Map<String, String> physicalFiles = new LinkedHashMap<>();
        Map<String, String> earlier = new LinkedHashMap<>();
        Set<String> files = new TreeSet<>(Set.of(master));
        Map<String, String> includedBy = new LinkedHashMap<>();
        Map<String, String> outside = new LinkedHashMap<>();
        Map<String, Object> onPostgresqlScope = Map.of(Scope.Attr.database.name(), new PostgresDatabase());
        // loadData and sqlFile read their files through the scope's accessor when they compute a checksum.
        Scope.child(Map.of(Scope.Attr.resourceAccessor.name(), accessor), () -> {
            // A property set for dbms="postgresql", or for the contexts the updates select, takes the value update substitutes
            // into the checksum it records. Only the properties are filtered so: a changeset for another dbms or context stays
            // listed, as it always was.
            ChangeLogParameters onPostgresql = new ChangeLogParameters();
            onPostgresql.setDatabase(new PostgresDatabase().getShortName());
            UpdateSelection selection = UpdateSelection.fromSettings();
            selection.applyTo(onPostgresql);
            Set<String> applied = new HashSet<>();
            for (ChangeSet changeSet : ChangeLogParserFactory.getInstance().getParser(master, accessor)
                    .parse(master, onPostgresql, accessor).getChangeSets()) {
                for (DatabaseChangeLog file = changeSet.getChangeLog(); file != null; file = file.getParentChangeLog()) {
                    if (file.getPhysicalFilePath() != null) {
                        files.add(file.getPhysicalFilePath());
                    }
                }
                String name = changeSet.toString(false);
                // Without a database in the scope, Liquibase leaves out every change with a dbms attribute; with
                // PostgreSQL there, it counts those for PostgreSQL, as update does.
                String withoutDbms = null;
                if (changeSet.getChanges().stream().anyMatch(change -> change instanceof DbmsTargetedChange targeted
                        && targeted.getDbms() != null && !targeted.getDbms().isBlank())) {
                    withoutDbms = changeSet.generateCheckSum(ChecksumVersion.latest()).toString();
                    changeSet.clearCheckSum();
                }
                String checksum = Scope.child(onPostgresqlScope, () -> changeSet.generateCheckSum(ChecksumVersion.latest()).toString());
                // One id written once per database or context (Apache Fineract does so): the one the update applies is the
                // one whose checksum the database records, wherever it stands in the file.
                boolean applies = selection.applies(changeSet);
                if (checksums.containsKey(name) && (applied.contains(name) || !applies)) {
                    continue;
                }
                if (applies) {
                    applied.add(name);
                }
                checksums.put(name, checksum);
                outside.put(name, outsideChecksum(changeSet));
                if (withoutDbms != null && !withoutDbms.equals(checksum)) {
                    earlier.put(name, withoutDbms);
                } else {
                    earlier.remove(name);
                }
                if (changeSet.isRunOnChange() || changeSet.isAlwaysRun()) {
                    rerunnable.add(changeSet.toString(false));
                }
                if (changeSet.getChangeLog() != null && changeSet.getChangeLog().getPhysicalFilePath() != null) {
                    physicalFiles.put(changeSet.toString(false), changeSet.getChangeLog().getPhysicalFilePath());
                    DatabaseChangeLog parent = changeSet.getChangeLog().getParentChangeLog();
                    if (parent != null && parent.getPhysicalFilePath() != null) {
                        includedBy.put(changeSet.toString(false), parent.getPhysicalFilePath());
                    }
                }
            }
        });
        return new Checksums(checksums, rerunnable, physicalFiles, earlier, digest(files, accessor), includedBy, outside);
    }

    private static String digest(Set<String> files, ResourceAccessor accessor) throws Exception {
        MessageDigest sha256 = MessageDigest.getInstance("SHA-256");
        for (String file : files) {
            sha256.update((file + "\n").getBytes(StandardCharsets.UTF_8));
            try {
                Resource resource = accessor.get(file);
                if (resource != null && resource.exists()) {
                    try (InputStream in = resource.openInputStream()) {
                        sha256.update(in.readAllBytes());
                    }
                }
            } catch (IOException unreadable) {
                // Its name is in the hash; Liquibase read it, and says so itself where it cannot any more.
            }
        }
        return HexFormat.of().formatHex(sha256.digest());
    }
}
