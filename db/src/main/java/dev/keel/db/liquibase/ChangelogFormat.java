package dev.keel.db.liquibase;

import java.util.Locale;
import liquibase.changelog.ChangeSet;

/** The format of the file a changeset is written in, for advice and rewrites a team can paste into that file. */
public enum ChangelogFormat {
    YAML("rollback: block"),
    JSON("\"rollback\" entry"),
    XML("<rollback> element"),
    SQL("--rollback line");

    private final String rollbackBlock;

    ChangelogFormat(String rollbackBlock) {
        this.rollbackBlock = rollbackBlock;
    }

    public static ChangelogFormat of(ChangeSet changeSet) {
        // The file it is written in: a logicalFilePath may give a formatted SQL changeset an XML name.
        String written = changeSet.getChangeLog() != null && changeSet.getChangeLog().getPhysicalFilePath() != null
                ? changeSet.getChangeLog().getPhysicalFilePath() : changeSet.getFilePath();
        return ofFile(written == null ? "" : written);
    }

    /** The format of a changelog file, by its name; YAML for a name Liquibase gives no other parser. */
    public static ChangelogFormat ofFile(String file) {
        String name = file.toLowerCase(Locale.ROOT);
        return name.endsWith(".sql") ? SQL : name.endsWith(".xml") ? XML : name.endsWith(".json") ? JSON : YAML;
    }

    /** How this format writes a changeset's rollback, such as "--rollback line" in formatted SQL. */
    public String rollbackBlock() {
        return rollbackBlock;
    }
}
