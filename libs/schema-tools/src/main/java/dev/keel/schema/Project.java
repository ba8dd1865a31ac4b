package dev.keel.schema;

import dev.keel.db.settings.Settings;
import java.nio.file.Path;

/**
 * Where a Keel repository keeps what the schema tools read and write, relative to its root. Tests point
 * one at a copy, so no tool or test ever depends on the state of the working tree it did not make.
 */
public record Project(Path root) {

    /** The master changelog, as the db goals and DATABASECHANGELOG name it (relative to {@link #resources()}). */
    public static final String MASTER = "db/changelog/db.changelog-master.yaml";

    public static final String GENERATE_COMMAND = "mvn keel:generate -Dname=<Name>";
    public static final String ACCEPT_COMMAND = "mvn keel:accept";
    public static final String REBASE_COMMAND = "mvn keel:rebase";

    /** The repository this process runs in. */
    public static Project current() {
        return new Project(Settings.root());
    }

    /** The Liquibase search path: the master changelog and everything it includes live below it. */
    public Path resources() {
        return root.resolve("db/src/main/resources");
    }

    public Path master() {
        return resources().resolve(MASTER);
    }

    /** {@code db/released-changesets.txt}: every accepted changeset with its checksum. */
    public Path releasedList() {
        return root.resolve(RELEASED_LIST);
    }

    public static final String RELEASED_LIST = "db/released-changesets.txt";

    /** {@code db/schema.sql}: the schema the changelog builds. */
    public Path snapshot() {
        return root.resolve("db/schema.sql");
    }

    /** {@code db/schema.md}: the same schema as an ER diagram and tables. */
    public Path erPage() {
        return root.resolve("db/schema.md");
    }

    public String relative(Path path) {
        return root.relativize(path).toString().replace('\\', '/');
    }
}
