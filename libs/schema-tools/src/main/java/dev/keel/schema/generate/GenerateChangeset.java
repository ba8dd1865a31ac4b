package dev.keel.schema.generate;

import dev.keel.schema.AtomicFiles;
import dev.keel.schema.Project;
import dev.keel.schema.ShadowDatabase;
import dev.keel.schema.ToolOutput;
import dev.keel.schema.drift.SchemaDrift;
import dev.keel.testdb.TestPostgres;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeSet;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import liquibase.change.Change;
import liquibase.changelog.ChangeSet;
import liquibase.database.Database;
import liquibase.database.DatabaseFactory;
import liquibase.diff.DiffResult;
import liquibase.diff.output.DiffOutputControl;
import liquibase.diff.output.changelog.DiffToChangeLog;
import liquibase.snapshot.DatabaseSnapshot;
import liquibase.structure.DatabaseObject;

/**
 * {@code mvn keel:generate -Dname=AddUserPhone}: writes what the entities
 * map and the changelog does not create yet, following Keel's conventions (see {@link ConventionalChangesets}).
 * The difference is computed against a throwaway shadow database built from the changelog on disk (the tests'
 * strategy: TEST_DB_URL, Testcontainers, embedded), never against a developer's database.
 */
public final class GenerateChangeset {

    public static final String USAGE = "Usage: " + Project.GENERATE_COMMAND + ", where <Name> says what changes, such as AddUserPhone"
            + " (letters and digits, starting with a letter)";

    private GenerateChangeset() {
    }

    /** {@code mvn keel:generate -Dname=AddUserPhone}, through {@link dev.keel.schema.Tools}. */
    public static void run() throws Exception {
        String name = System.getProperty("name", "");
        if (!name.matches("[A-Za-z][A-Za-z0-9]*")) {
            throw new ToolOutput.Refused(USAGE);
        }
        String entityPackage = entityPackage(System.getProperty("keel.entity-package", "dev.keel.persistence"));
        Project project = Project.current();
        // Reading the entities needs no database, so it runs while the shadow database is built.
        DatabaseFactory.getInstance();
        ClassLoader classes = Thread.currentThread().getContextClassLoader();
        CompletableFuture<Database> entities = CompletableFuture.supplyAsync(() -> {
            try {
                return SchemaDrift.entities(entityPackage, classes);
            } catch (Exception e) {
                throw new CompletionException(e);
            }
        });
        String shadow = ShadowDatabase.of(project);
        try (Connection connection = TestPostgres.server().connect(shadow)) {
            // Read while the entities may still be loading on the other thread.
            DatabaseSnapshot shadowSnapshot = SchemaDrift.snapshot(connection);
            Generated generated = generate(name, entities.join(), connection, shadowSnapshot, project.resources(), LocalDateTime.now(ZoneOffset.UTC));
            if (generated == null) {
                System.out.println("The entities and the changelog agree; nothing was written.");
            } else {
                System.out.println("Wrote " + project.relative(generated.file()) + " (" + generated.changeSets() + " changeset"
                        + (generated.changeSets() == 1 ? "" : "s") + ") and included it in " + project.relative(project.master()) + ".");
                generated.notes().forEach(note -> System.out.println("Note: " + note));
                System.out.println("Review it, then: mvn -pl db liquibase:update");
            }
        } finally {
            ShadowDatabase.drop(shadow);
        }
    }

    private static final DateTimeFormatter STAMP = DateTimeFormatter.ofPattern("yyyyMMddHHmmss");
    private static final Pattern DATED = Pattern.compile("(\\d{14})\\D.*");

    /**
     * {@code now}, or a second after the latest date a changelog file's name starts with where that is later (a clock
     * behind a colleague's, or a name typed by hand): the released-changesets check refuses a new changeset dated before
     * a released one.
     */
    static String stamp(Path resources, LocalDateTime now) throws IOException {
        LocalDateTime latest = now;
        try (Stream<Path> files = Files.walk(resources)) {
            for (Path file : (Iterable<Path>) files::iterator) {
                Matcher dated = DATED.matcher(file.getFileName().toString());
                if (dated.matches()) {
                    try {
                        LocalDateTime next = LocalDateTime.parse(dated.group(1), STAMP).plusSeconds(1);
                        latest = next.isAfter(latest) ? next : latest;
                    } catch (DateTimeParseException notADate) {
                        // fourteen digits that are no date and time order nothing
                    }
                }
            }
        }
        return latest.format(STAMP);
    }

    /** The package generate reads the entities from; refused where the setting says the project has none. */
    static String entityPackage(String configured) {
        if (SchemaDrift.NO_ENTITIES.equals(configured)) {
            throw new ToolOutput.Refused("Generate writes changesets from JPA entities, and -Dkeel.entity-package=" + SchemaDrift.NO_ENTITIES
                    + " says there are none: write the changeset by hand (docs/changesets.md, \"Writing a changeset by hand\").");
        }
        return configured;
    }

    /** What generate wrote. */
    public record Generated(Path file, int changeSets, List<String> notes) {
    }

    /** Writes the changeset file and includes it in the master changelog; null when nothing differs. */
    public static Generated generate(String name, String entityPackage, Connection shadow, Path resources, LocalDateTime now) throws Exception {
        return generate(name, SchemaDrift.entities(entityPackage), shadow, SchemaDrift.snapshot(shadow), resources, now);
    }

    static Generated generate(String name, Database entities, Connection shadow, DatabaseSnapshot shadowSnapshot, Path resources, LocalDateTime now)
            throws Exception {
        String id = stamp(resources, now) + "_" + snakeCase(name);
        ConventionalChangesets.Result result = changes(id, entities, shadow, shadowSnapshot);
        if (result == null) {
            return null;
        }
        String relative = "changes/" + id + ".yaml";
        Path file = resources.resolve("db/changelog/" + relative);
        Path master = resources.resolve(Project.MASTER);
        // One line per include, so git's merge=union (.gitattributes) keeps two branches' includes valid YAML. The two files
        // are one set: a changeset without its include would be one nothing runs.
        Map<Path, String> files = new LinkedHashMap<>();
        files.put(file, result.yaml());
        files.put(master, Files.readString(master) + "  - include: {file: " + relative + ", relativeToChangelogFile: true}\n");
        AtomicFiles.write(files);
        return new Generated(file, result.changeSets(), result.notes());
    }

    /** The changesets that would make the shadow database (as {@code shadowSnapshot} read it) match the entities; null when nothing differs. */
    static ConventionalChangesets.Result changes(String id, Database entities, Connection shadow, DatabaseSnapshot shadowSnapshot)
            throws Exception {
        List<String> elsewhere = new ArrayList<>();
        for (String schema : new TreeSet<>(SchemaDrift.otherSchemas(entities).values())) {
            elsewhere.addAll(SchemaDrift.failures(entities, shadow, schema, new ArrayList<>()));
        }
        if (!elsewhere.isEmpty()) {
            throw new ToolOutput.Refused("generate writes changes to tables in public only, and the entities differ from the changelog outside"
                    + " it: " + String.join("; ", elsewhere) + ". Write those changes in a changeset by hand (docs/changesets.md, \"Writing a"
                    + " changeset by hand\"). Nothing was written.");
        }
        DiffResult diff = SchemaDrift.diff(entities, shadowSnapshot);
        DiffResult missingOnly = new DiffResult(diff.getReferenceSnapshot(), diff.getComparisonSnapshot(), diff.getCompareControl());
        for (DatabaseObject missing : diff.getMissingObjects()) {
            if (SchemaDrift.counts(missing)) {
                missingOnly.addMissingObject(missing);
            }
        }
        List<SchemaDrift.ColumnDrift> changedColumns = SchemaDrift.changedColumns(diff, SchemaDrift.maxLengthsFromChecks(shadow));
        if (missingOnly.getMissingObjects().isEmpty() && changedColumns.isEmpty()) {
            return null;
        }
        List<Change> changes = missingOnly.getMissingObjects().isEmpty() ? List.of()
                : new DiffToChangeLog(missingOnly, new DiffOutputControl(false, false, false, null)).generateChangeSets()
                        .stream().map(ChangeSet::getChanges).flatMap(List::stream).toList();
        ConventionalChangesets.Result result = ConventionalChangesets.from(id, changes, changedColumns, shadow);
        return result.changeSets() == 0 ? null : result;
    }

    /** AddUserPhone -> add_user_phone. */
    static String snakeCase(String name) {
        return name.replaceAll("([a-z0-9])([A-Z])", "$1_$2").toLowerCase(Locale.ROOT);
    }
}
