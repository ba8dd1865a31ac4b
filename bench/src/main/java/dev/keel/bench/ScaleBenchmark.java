package dev.keel.bench;

import dev.keel.db.settings.Settings;
import dev.keel.schema.Project;
import dev.keel.schema.ShadowDatabase;
import dev.keel.schema.accept.Accept;
import dev.keel.schema.drift.SchemaDrift;
import dev.keel.schema.rollback.RollbackCheck;
import dev.keel.schema.scale.ScaleChangelog;
import dev.keel.schema.snapshot.SnapshotFiles;
import dev.keel.testdb.MigratedDatabases;
import dev.keel.testdb.TestPostgres;
import java.io.IOException;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import liquibase.resource.DirectoryResourceAccessor;

/**
 * {@code mvn -q -pl bench -am compile exec:exec@scale-benchmark [-Dchangesets=1000] [-Druns=3]}: how the
 * checks fare on a real project's changelog. It copies this repository (without {@code .git} and build output) to a
 * temporary folder, adds the generated changesets of {@link ScaleChangelog} to the copy's master changelog, and
 * times each check on the copy: Maven commands as separate processes, the checks themselves in this JVM. The copy
 * gets its own database, and the tests' databases are throwaway ones, so neither the developer's database nor the
 * working tree is touched. Every figure is the median of the runs.
 */
public final class ScaleBenchmark {

    private static final boolean WINDOWS = System.getProperty("os.name").toLowerCase(Locale.ROOT).startsWith("windows");

    private final Project copy;
    private final Settings settings;
    private final String database;
    private final int runs;

    private ScaleBenchmark(Project copy, Settings settings, String database, int runs) {
        this.copy = copy;
        this.settings = settings;
        this.database = database;
        this.runs = runs;
    }

    public static void main(String[] args) throws Exception {
        int changesets = Integer.getInteger("changesets", 1000);
        int runs = Integer.getInteger("runs", 3);
        Path root = Settings.root();
        Path folder = Files.createTempDirectory("keel-scale-");
        Project copy = new Project(folder);
        copyRepository(root, folder);
        Path generated = copy.master().resolveSibling(ScaleChangelog.FILE);
        ScaleChangelog.write(generated, changesets, Set.of());
        ScaleChangelog.include(copy.master());
        String database = "keel_scale_" + HexFormat.of().toHexDigits(ThreadLocalRandom.current().nextInt());
        writeSettings(root, folder, database);
        ScaleBenchmark benchmark = new ScaleBenchmark(copy, Settings.load(), database, runs);
        System.out.printf("Scale benchmark: %d generated changesets added to the changelog of %s%n", changesets, root);
        System.out.printf("Copy in %s, database %s; medians of %d runs, on %d cores%n%n", folder, database, runs,
                Runtime.getRuntime().availableProcessors());
        try {
            benchmark.run(changesets);
        } catch (IllegalStateException failed) {
            System.err.println("Scale benchmark stopped: " + failed.getMessage());
            System.exit(1);
        } finally {
            benchmark.dropDatabase();
            deleteTree(folder);
        }
        System.exit(0);
    }

    private void run(int changesets) throws Exception {
        List<Double> apply = new ArrayList<>();
        List<Double> floor = new ArrayList<>();
        List<Double> noOp = new ArrayList<>();
        List<Double> status = new ArrayList<>();
        for (int i = 0; i < runs; i++) {
            dropDatabase();
            createDatabase();
            apply.add(maven("-pl", "db", "liquibase:update"));
            floor.add(maven("-pl", "db", "validate"));
            noOp.add(maven("-pl", "db", "liquibase:update"));
            status.add(maven("-pl", "db", "liquibase:status"));
        }
        row("full apply (mvn -pl db liquibase:update, empty database)", apply);
        row("Maven's floor (mvn -pl db validate)", floor);
        row("no-op update (mvn -pl db liquibase:update)", noOp);
        System.out.printf("  %-58s %9.2fx%n", "no-op update / Maven's floor", median(noOp) / median(floor));
        row("status (mvn -pl db liquibase:status)", status);

        DirectoryResourceAccessor changelog = new DirectoryResourceAccessor(copy.resources());
        List<Double> rollback = new ArrayList<>();
        List<String> problems = List.of();
        for (int i = 0; i < runs; i++) {
            long start = System.nanoTime();
            problems = RollbackCheck.problems(TestPostgres.createEmptyDatabase(), Project.MASTER, changelog);
            rollback.add(millis(start));
        }
        row("rollback check", rollback);
        problems.forEach(problem -> System.out.println("    problem: " + problem));
        plantedRollbackCheck(changesets);
        rollbackCheckOfReleasedHistory(changesets);

        Accept.accept(copy); // a step that the snapshot check needs, not a figure: a second accept has nothing to do
        System.out.println("  accepted: the changesets recorded, the snapshot refreshed");

        String shadow = ShadowDatabase.of(copy);
        List<Double> snapshot = new ArrayList<>();
        List<Double> drift = new ArrayList<>();
        String entityPackage = System.getProperty("keel.entity-package", "dev.keel.persistence");
        try (Connection connection = TestPostgres.server().connect(shadow)) {
            for (int i = 0; i < runs; i++) {
                long start = System.nanoTime();
                List<String> differences = SnapshotFiles.render(connection, TestPostgres.APP_ROLE).differences(copy);
                snapshot.add(millis(start));
                if (!differences.isEmpty()) {
                    throw new IllegalStateException("the snapshot check failed on the accepted copy: " + differences);
                }
                start = System.nanoTime();
                SchemaDrift.compare(entityPackage, connection);
                drift.add(millis(start));
            }
        }
        row("snapshot check (render the catalog, compare with db/schema.sql)", snapshot);
        row("drift check (entities against the migrated schema)", drift);

        List<Double> verify = new ArrayList<>();
        for (int i = 0; i < runs; i++) {
            verify.add(maven("verify"));
        }
        row("mvn verify of the copy", verify);

        cloneVersusMigrate(changelog);
    }

    /** The rollback check on a changelog with bad rollbacks planted at about 1%, 50% and 99% of the generated changesets. */
    private void plantedRollbackCheck(int changesets) throws Exception {
        if (changesets < 15) {
            return;
        }
        // The fifth changeset of each group is the CHECK constraint, which nothing later depends on.
        Set<Integer> planted = Set.of(fifth(changesets / 100), fifth(changesets / 2), fifth(changesets * 99 / 100));
        Path folder = Files.createTempDirectory("keel-scale-planted-");
        try {
            Project planting = new Project(folder);
            copyRepository(copy.resources(), planting.resources());
            ScaleChangelog.write(planting.master().resolveSibling(ScaleChangelog.FILE), changesets, planted);
            List<String> problems = RollbackCheck.problems(TestPostgres.createEmptyDatabase(), Project.MASTER,
                    new DirectoryResourceAccessor(planting.resources()));
            System.out.println("  rollback check, bad rollbacks planted at " + new TreeSet<>(planted) + " (a proof, not timed):");
            problems.forEach(problem -> System.out.println("    named: " + problem.substring(0, problem.indexOf(": "))));
        } finally {
            deleteTree(folder);
        }
    }

    /**
     * The rollback check on the same changelog with every CHECK changeset released without a rollback, as an adopted
     * changelog's history often is: one changeset in five, each of which ends a walk down.
     */
    private void rollbackCheckOfReleasedHistory(int changesets) throws Exception {
        Path folder = Files.createTempDirectory("keel-scale-released-");
        try {
            Project history = new Project(folder);
            copyRepository(copy.resources(), history.resources());
            ScaleChangelog.write(history.master().resolveSibling(ScaleChangelog.FILE), changesets, Set.of(), true);
            DirectoryResourceAccessor changelog = new DirectoryResourceAccessor(history.resources());
            List<Double> rollback = new ArrayList<>();
            for (int i = 0; i < runs; i++) {
                long start = System.nanoTime();
                List<String> problems = RollbackCheck.problems(TestPostgres.createEmptyDatabase(), Project.MASTER, changelog,
                        changeset -> true);
                rollback.add(millis(start));
                if (!problems.isEmpty()) {
                    throw new IllegalStateException("the rollback check failed on released history: " + problems);
                }
            }
            row("rollback check, 1 in 5 released without a rollback", rollback);
        } finally {
            deleteTree(folder);
        }
    }

    private static int fifth(int position) {
        return Math.max(5, (position + 4) / 5 * 5);
    }

    /**
     * A test database as tests get one, against one migrated from empty, with the copy's changelog. A hand-out
     * takes the clone made in the background after the previous one (the benchmark waits for it, as a test's own
     * run would); the time of a clone made on the spot is printed too.
     */
    private void cloneVersusMigrate(DirectoryResourceAccessor changelog) throws Exception {
        MigratedDatabases databases = new MigratedDatabases(changelog);
        TestPostgres.drop(databases.handOut()); // builds the template and starts the first clone ahead
        List<Double> handOut = new ArrayList<>();
        List<Double> clone = new ArrayList<>();
        List<Double> migrate = new ArrayList<>();
        for (int i = 0; i < Math.max(runs, 5); i++) {
            while (!databases.cloneReady()) {
                Thread.sleep(10);
            }
            long start = System.nanoTime();
            String database = databases.handOut();
            handOut.add(millis(start));
            TestPostgres.drop(database);

            start = System.nanoTime();
            String cloned = TestPostgres.createDatabaseFrom(databases.template());
            clone.add(millis(start));
            TestPostgres.drop(cloned);

            start = System.nanoTime();
            String empty = TestPostgres.createEmptyDatabase();
            TestPostgres.migrate(empty, changelog);
            migrate.add(millis(start));
            TestPostgres.drop(empty);
        }
        row("test database handed out (clone made ahead)", handOut);
        row("test database cloned on the spot (CREATE DATABASE ... TEMPLATE)", clone);
        row("test database migrated from empty", migrate);
        System.out.printf("  %-58s %9.0fx%n", "migrate / hand-out", median(migrate) / median(handOut));
        System.out.printf("  %-58s %9.1fx%n", "migrate / clone on the spot", median(migrate) / median(clone));
    }

    /** Runs the copy's Maven wrapper with {@code DB_NAME} pointing at the copy's database; its wall time in ms. */
    private double maven(String... goals) throws Exception {
        List<String> command = new ArrayList<>(WINDOWS ? List.of("cmd", "/c", "mvnw.cmd") : List.of("./mvnw"));
        command.add("-q");
        command.addAll(List.of(goals));
        Path log = Files.createTempFile("keel-scale-", ".log");
        ProcessBuilder builder = new ProcessBuilder(command).directory(copy.root().toFile()).redirectErrorStream(true)
                .redirectOutput(log.toFile());
        // Also in the environment, which wins over .env, in case DB_NAME is set there.
        builder.environment().put("DB_NAME", database);
        long start = System.nanoTime();
        Process process = builder.start();
        if (!process.waitFor(30, TimeUnit.MINUTES) || process.exitValue() != 0) {
            process.destroyForcibly();
            List<String> lines = Files.readAllLines(log);
            throw new IllegalStateException(String.join(" ", command) + " failed; its last lines:" + System.lineSeparator()
                    + String.join(System.lineSeparator(), lines.subList(Math.max(0, lines.size() - 30), lines.size())));
        }
        double elapsed = millis(start);
        Files.delete(log);
        return elapsed;
    }

    private Connection admin() throws SQLException {
        String url = "jdbc:postgresql://" + settings.get("DB_HOST") + ":" + settings.get("DB_PORT") + "/postgres";
        return DriverManager.getConnection(url, settings.get("DB_USERNAME"), settings.get("DB_PASSWORD"));
    }

    private void createDatabase() throws SQLException {
        try (Connection connection = admin(); Statement statement = connection.createStatement()) {
            statement.execute("CREATE DATABASE \"" + database + "\"");
        }
    }

    private void dropDatabase() throws SQLException {
        try (Connection connection = admin(); Statement statement = connection.createStatement()) {
            statement.execute("DROP DATABASE IF EXISTS \"" + database + "\" WITH (FORCE)");
        }
    }

    /** The copy's .env: this repository's own (or .env.example), with a database of the copy's own. */
    private static void writeSettings(Path root, Path folder, String database) throws IOException {
        Path source = Files.exists(root.resolve(".env")) ? root.resolve(".env") : root.resolve(".env.example");
        List<String> lines = new ArrayList<>(Files.readAllLines(source).stream().filter(line -> !line.strip().startsWith("DB_NAME=")).toList());
        lines.add("DB_NAME=" + database);
        Files.write(folder.resolve(".env"), lines);
    }

    /** Copies a tree, leaving out version control, build output and the developer's own settings. */
    private static void copyRepository(Path from, Path to) throws IOException {
        Set<String> skipped = Set.of(".git", "target", ".env", ".idea", "node_modules");
        Files.walkFileTree(from, new SimpleFileVisitor<>() {
            @Override
            public FileVisitResult preVisitDirectory(Path dir, BasicFileAttributes attributes) throws IOException {
                if (!dir.equals(from) && skipped.contains(dir.getFileName().toString())) {
                    return FileVisitResult.SKIP_SUBTREE;
                }
                Files.createDirectories(to.resolve(from.relativize(dir).toString()));
                return FileVisitResult.CONTINUE;
            }

            @Override
            public FileVisitResult visitFile(Path file, BasicFileAttributes attributes) throws IOException {
                if (!skipped.contains(file.getFileName().toString())) {
                    Files.copy(file, to.resolve(from.relativize(file).toString()), StandardCopyOption.COPY_ATTRIBUTES,
                            StandardCopyOption.REPLACE_EXISTING);
                }
                return FileVisitResult.CONTINUE;
            }
        });
    }

    private static void deleteTree(Path root) throws IOException {
        Files.walkFileTree(root, new SimpleFileVisitor<>() {
            @Override
            public FileVisitResult visitFile(Path file, BasicFileAttributes attributes) throws IOException {
                Files.delete(file);
                return FileVisitResult.CONTINUE;
            }

            @Override
            public FileVisitResult postVisitDirectory(Path dir, IOException e) throws IOException {
                Files.delete(dir);
                return FileVisitResult.CONTINUE;
            }
        });
    }

    private static void row(String what, List<Double> millis) {
        System.out.printf(Locale.ROOT, "  %-58s %9s ms   runs: %s%n", what, figure(median(millis)),
                millis.stream().map(ScaleBenchmark::figure).toList());
    }

    /** Whole milliseconds, except below 10 ms (a hand-out), where whole numbers would print 0. */
    private static String figure(double millis) {
        return String.format(Locale.ROOT, millis < 10 ? "%.2f" : "%.0f", millis);
    }

    private static double millis(long start) {
        return (System.nanoTime() - start) / 1e6;
    }

    static double median(List<Double> values) {
        List<Double> sorted = new ArrayList<>(values);
        Collections.sort(sorted);
        int middle = sorted.size() / 2;
        return sorted.size() % 2 == 1 ? sorted.get(middle) : (sorted.get(middle - 1) + sorted.get(middle)) / 2;
    }
}
