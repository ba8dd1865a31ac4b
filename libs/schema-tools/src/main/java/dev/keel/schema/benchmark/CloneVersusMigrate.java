package dev.keel.schema.benchmark;

import dev.keel.testdb.TestPostgres;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/**
 * Prints how long a migrated test database takes to get: cloned from the template, or migrated from
 * empty with the real changelog. Figures, not a test; run it with the command in the README.
 */
public final class CloneVersusMigrate {

    private CloneVersusMigrate() {
    }

    public static void main(String[] args) {
        int rounds = args.length > 0 ? Integer.parseInt(args[0]) : 15;
        System.out.println("Server: " + TestPostgres.server().source());
        TestPostgres.createMigratedDatabase(); // builds the template once, outside the measurement
        List<Double> clone = new ArrayList<>();
        List<Double> migrate = new ArrayList<>();
        for (int i = 0; i < rounds; i++) {
            long start = System.nanoTime();
            TestPostgres.drop(TestPostgres.createMigratedDatabase());
            clone.add((System.nanoTime() - start) / 1e6);

            start = System.nanoTime();
            String database = TestPostgres.createEmptyDatabase();
            TestPostgres.migrate(database);
            migrate.add((System.nanoTime() - start) / 1e6);
            TestPostgres.drop(database);
        }
        double cloneMedian = median(clone);
        double migrateMedian = median(migrate);
        System.out.printf("rounds %d: clone from template median %.1f ms, migrate from empty median %.1f ms, ratio %.1fx%n",
                rounds, cloneMedian, migrateMedian, migrateMedian / cloneMedian);
    }

    private static double median(List<Double> values) {
        List<Double> sorted = new ArrayList<>(values);
        Collections.sort(sorted);
        int middle = sorted.size() / 2;
        return sorted.size() % 2 == 1 ? sorted.get(middle) : (sorted.get(middle - 1) + sorted.get(middle)) / 2;
    }
}
