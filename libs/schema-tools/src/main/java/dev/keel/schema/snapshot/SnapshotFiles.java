package dev.keel.schema.snapshot;

import dev.keel.schema.AtomicFiles;
import com.github.difflib.DiffUtils;
import com.github.difflib.UnifiedDiffUtils;
import dev.keel.schema.Project;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;

/** The committed snapshot files, {@code db/schema.sql} and {@code db/schema.md}, rendered from a database. */
public record SnapshotFiles(String sql, String erPage) {

    private static final String SQL_HEADER = """
            The schema that %s builds, read from PostgreSQL's catalog (public and every other schema it creates, without Liquibase's tables).
            Generated; never edit it by hand. Refresh it with: %s
            Grants name the application role as %s (DB_APP_USERNAME).""";

    public static SnapshotFiles render(Connection connection, String appRole) throws SQLException {
        SchemaSnapshot.Schema schema = SchemaSnapshot.read(connection, appRole);
        return new SnapshotFiles(
                SchemaSnapshot.sql(schema, SQL_HEADER.formatted(Project.MASTER, Project.ACCEPT_COMMAND, SchemaSnapshot.APP_ROLE)),
                SchemaSnapshot.erPage(schema, "Schema",
                        "The schema that `" + Project.MASTER + "` builds, as an ER diagram and a table per table. Generated with"
                                + " `db/schema.sql` by `" + Project.ACCEPT_COMMAND + "`; never edit it by hand."));
    }

    /**
     * The server the tools and tests build snapshots on, as "PostgreSQL 15.14 (where)": a view's text may be worded
     * differently by another major version, so a snapshot accepted on one can differ from what another builds.
     */
    public static String builtOn() throws SQLException {
        dev.keel.testdb.TestPostgres.Server server = dev.keel.testdb.TestPostgres.server();
        try (Connection connection = server.connect(server.adminDatabase());
             java.sql.ResultSet version = connection.createStatement().executeQuery("SELECT current_setting('server_version')")) {
            version.next();
            return "PostgreSQL " + version.getString(1).split(" ")[0] + " (" + server.source() + ")";
        }
    }

    public void write(Project project) {
        AtomicFiles.write(files(project));
    }

    /** {@code db/schema.sql} and {@code db/schema.md} with their text, to write with other files as one set. */
    public java.util.Map<Path, String> files(Project project) {
        java.util.Map<Path, String> files = new java.util.LinkedHashMap<>();
        files.put(project.snapshot(), sql);
        files.put(project.erPage(), erPage);
        return files;
    }

    /** A unified diff from the committed files to these, one per file that differs; empty when both match. */
    public List<String> differences(Project project) {
        List<String> differences = new ArrayList<>();
        difference(project, project.snapshot(), sql).ifPresent(differences::add);
        difference(project, project.erPage(), erPage).ifPresent(differences::add);
        return differences;
    }

    private static java.util.Optional<String> difference(Project project, Path committedFile, String built) {
        String committed;
        try {
            committed = Files.exists(committedFile) ? Files.readString(committedFile, StandardCharsets.UTF_8).replace("\r\n", "\n") : "";
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        if (committed.equals(built)) {
            return java.util.Optional.empty();
        }
        String name = project.relative(committedFile);
        List<String> before = committed.lines().toList();
        List<String> after = built.lines().toList();
        List<String> diff = UnifiedDiffUtils.generateUnifiedDiff("a/" + name + " (committed)", "b/" + name + " (built from the changelog)",
                before, DiffUtils.diff(before, after), 3);
        return java.util.Optional.of(diff.isEmpty() ? name + ": differs only in line endings" : String.join("\n", diff));
    }
}
