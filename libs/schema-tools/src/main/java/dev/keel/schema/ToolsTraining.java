package dev.keel.schema;

import dev.keel.schema.drift.SchemaDrift;
import dev.keel.schema.generate.GenerateChangeset;
import dev.keel.schema.released.ReleasedChangesets;
import dev.keel.schema.snapshot.SnapshotFiles;
import dev.keel.testdb.TestPostgres;
import java.sql.Connection;
import java.util.logging.Level;
import java.util.logging.Logger;
import liquibase.database.Database;

/**
 * The tools' training run for class-data sharing. It does the work of generate and accept once, writing nothing,
 * while the JVM lists the classes it loads ({@code -XX:DumpLoadedClassList}); the build turns that list into
 * {@code target/tools.jsa}, from which generate and accept start about twice as fast (see this module's POM).
 * A failure here only makes the archive smaller, so it is silent.
 */
public final class ToolsTraining {

    private ToolsTraining() {
    }

    public static void main(String[] args) {
        Logger.getLogger("liquibase").setLevel(Level.OFF);
        try {
            Project project = Project.current();
            ReleasedChangesets.read(project);
            Database entities = SchemaDrift.entities(System.getProperty("keel.entity-package", "dev.keel.persistence"));
            String shadow = ShadowDatabase.of(project);
            try (Connection connection = TestPostgres.server().connect(shadow)) {
                GenerateChangeset.changes("training", entities, connection);
                SnapshotFiles.render(connection, TestPostgres.APP_ROLE);
            } finally {
                TestPostgres.drop(shadow);
            }
        } catch (Exception | LinkageError e) {
            System.err.println("Training run incomplete, the archive will be smaller: " + TestPostgres.rootMessage(e));
        }
        System.exit(0);
    }
}
