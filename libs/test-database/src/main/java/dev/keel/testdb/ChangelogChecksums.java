package dev.keel.testdb;

import java.util.LinkedHashMap;
import java.util.Map;
import liquibase.ChecksumVersion;
import liquibase.Scope;
import liquibase.changelog.ChangeLogParameters;
import liquibase.changelog.ChangeSet;
import liquibase.parser.ChangeLogParserFactory;
import liquibase.resource.ResourceAccessor;

/** Liquibase's checksum of every changeset of a changelog, as it records them, without a database. */
public final class ChangelogChecksums {

    private ChangelogChecksums() {
    }

    /** {@code file::id::author} to checksum, in changelog order. */
    public static Map<String, String> of(String master, ResourceAccessor accessor) throws Exception {
        Map<String, String> checksums = new LinkedHashMap<>();
        // loadData and sqlFile read their files through the scope's accessor when they compute a checksum.
        Scope.child(Map.of(Scope.Attr.resourceAccessor.name(), accessor), () -> {
            for (ChangeSet changeSet : ChangeLogParserFactory.getInstance().getParser(master, accessor)
                    .parse(master, new ChangeLogParameters(), accessor).getChangeSets()) {
                checksums.put(changeSet.toString(false), changeSet.generateCheckSum(ChecksumVersion.latest()).toString());
            }
        });
        return checksums;
    }
}
