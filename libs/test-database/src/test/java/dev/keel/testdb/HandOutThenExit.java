package dev.keel.testdb;

import java.nio.file.Path;
import liquibase.resource.DirectoryResourceAccessor;

/**
 * Run by {@link LeftoverDatabasesIT} in a JVM of its own: hands out one migrated database of the changelog in
 * {@code args[0]}, which starts the next clone in the background, and exits at once.
 */
public final class HandOutThenExit {

    private HandOutThenExit() {
    }

    public static void main(String[] args) throws Exception {
        String database = new MigratedDatabases(new DirectoryResourceAccessor(Path.of(args[0]))).handOut();
        System.out.println(database);
    }
}
