package dev.keel.bench;

import dev.keel.testdb.TestPostgres;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ThreadLocalRandom;

/**
 * The online demo: on a throwaway database with a table of {@code -Drows} rows (default 1,000,000) and a writer that
 * inserts into it at a steady {@value #WRITES_PER_SECOND} rows a second, each of five schema changes runs in its
 * naive and its safe form. For each it prints the writer's longest stall (how late its slowest insert finished
 * against its schedule), how long ACCESS EXCLUSIVE on the table was held (sampled from a second session), and the
 * total time, as medians of {@code -Druns} runs (default 3). Entry point (see docs/online-safe-changes.md):
 * {@code mvn -q -pl bench -am compile exec:exec@online-demo}.
 */
public final class OnlineDemo {

    static final int WRITES_PER_SECOND = 200;

    private record Form(String name, List<String> statements, List<String> undo) {
    }

    private record Operation(String name, Form naive, Form safe) {
    }

    private record Figures(double stallMs, double exclusiveMs, double totalMs) {
    }

    private OnlineDemo() {
    }

    public static void main(String[] args) throws Exception {
        int rows = Integer.getInteger("rows", 1_000_000);
        int runs = Integer.getInteger("runs", 3);
        String database = TestPostgres.createEmptyDatabase();
        try (Connection ddl = TestPostgres.server().connect(database)) {
            System.out.printf("Throwaway database %s: demo_orders with %,d rows, a writer inserting %d rows/s; medians of %d runs%n",
                    database, rows, WRITES_PER_SECOND, runs);
            setUp(ddl, rows);
            Map<String, Figures[]> results = new LinkedHashMap<>();
            try (Writer writer = new Writer(TestPostgres.server().connect(database))) {
                Thread.sleep(2_000);
                for (Operation operation : operations()) {
                    for (Form form : List.of(operation.naive(), operation.safe())) {
                        List<Figures> measured = new ArrayList<>();
                        for (int run = 0; run < runs; run++) {
                            measured.add(measure(ddl, database, writer, form));
                            execute(ddl, form.undo());
                            execute(ddl, List.of("VACUUM ANALYZE demo_orders"));
                        }
                        Figures median = new Figures(median(measured.stream().map(Figures::stallMs).toList()),
                                median(measured.stream().map(Figures::exclusiveMs).toList()),
                                median(measured.stream().map(Figures::totalMs).toList()));
                        results.put(operation.name() + "|" + form.name(), new Figures[] {median});
                        System.out.printf("  measured %-22s %-6s%n", operation.name(), form.name());
                    }
                }
            }
            System.out.printf("%n| %-22s | %-5s | %-23s | %-23s | %-10s |%n", "change", "form", "writer's longest stall",
                    "ACCESS EXCLUSIVE held", "total");
            System.out.printf("|%s|%s|%s|%s|%s|%n", "-".repeat(24), "-".repeat(7), "-".repeat(25), "-".repeat(25), "-".repeat(12));
            results.forEach((key, figures) -> System.out.printf("| %-22s | %-5s | %20.0f ms | %20.1f ms | %7.0f ms |%n",
                    key.substring(0, key.indexOf('|')), key.substring(key.indexOf('|') + 1), figures[0].stallMs(),
                    figures[0].exclusiveMs(), figures[0].totalMs()));
        } finally {
            TestPostgres.drop(database);
        }
    }

    private static List<Operation> operations() {
        return List.of(
                new Operation("add a foreign key",
                        new Form("naive", List.of("ALTER TABLE demo_orders ADD CONSTRAINT fk_demo_orders__customer_id"
                                + " FOREIGN KEY (customer_id) REFERENCES demo_customers (id)"), dropConstraint("fk_demo_orders__customer_id")),
                        new Form("safe", List.of("ALTER TABLE demo_orders ADD CONSTRAINT fk_demo_orders__customer_id"
                                        + " FOREIGN KEY (customer_id) REFERENCES demo_customers (id) NOT VALID",
                                "ALTER TABLE demo_orders VALIDATE CONSTRAINT fk_demo_orders__customer_id"), dropConstraint("fk_demo_orders__customer_id"))),
                new Operation("add a CHECK",
                        new Form("naive", List.of("ALTER TABLE demo_orders ADD CONSTRAINT ck_demo_orders__amount CHECK (amount >= 0)"),
                                dropConstraint("ck_demo_orders__amount")),
                        new Form("safe", List.of("ALTER TABLE demo_orders ADD CONSTRAINT ck_demo_orders__amount CHECK (amount >= 0) NOT VALID",
                                "ALTER TABLE demo_orders VALIDATE CONSTRAINT ck_demo_orders__amount"), dropConstraint("ck_demo_orders__amount"))),
                new Operation("create an index",
                        new Form("naive", List.of("CREATE INDEX ix_demo_orders__customer_id ON demo_orders (customer_id)"),
                                List.of("DROP INDEX ix_demo_orders__customer_id")),
                        new Form("safe", List.of("CREATE INDEX CONCURRENTLY ix_demo_orders__customer_id ON demo_orders (customer_id)"),
                                List.of("DROP INDEX ix_demo_orders__customer_id"))),
                new Operation("set NOT NULL",
                        new Form("naive", List.of("ALTER TABLE demo_orders ALTER COLUMN note SET NOT NULL"),
                                List.of("ALTER TABLE demo_orders ALTER COLUMN note DROP NOT NULL")),
                        new Form("safe", List.of("ALTER TABLE demo_orders ADD CONSTRAINT ck_demo_orders__note_not_null CHECK (note IS NOT NULL) NOT VALID",
                                "ALTER TABLE demo_orders VALIDATE CONSTRAINT ck_demo_orders__note_not_null",
                                "ALTER TABLE demo_orders ALTER COLUMN note SET NOT NULL",
                                "ALTER TABLE demo_orders DROP CONSTRAINT ck_demo_orders__note_not_null"),
                                List.of("ALTER TABLE demo_orders ALTER COLUMN note DROP NOT NULL"))),
                new Operation("change a column's type",
                        new Form("naive", List.of("ALTER TABLE demo_orders ALTER COLUMN amount TYPE bigint"),
                                List.of("ALTER TABLE demo_orders ALTER COLUMN amount TYPE int")),
                        // Expand and contract: a new column, a trigger that keeps it current, a backfill in committed
                        // batches, then a swap of names in one short transaction.
                        new Form("safe", List.of("ALTER TABLE demo_orders ADD COLUMN amount_new bigint",
                                """
                                CREATE FUNCTION demo_orders_amount_new() RETURNS trigger LANGUAGE plpgsql AS
                                $$ BEGIN NEW.amount_new := NEW.amount; RETURN NEW; END $$""",
                                "CREATE TRIGGER tg_demo_orders__amount_new BEFORE INSERT OR UPDATE OF amount ON demo_orders"
                                        + " FOR EACH ROW EXECUTE FUNCTION demo_orders_amount_new()",
                                """
                                DO $$
                                BEGIN
                                  FOR low IN 0..(SELECT max(id) FROM demo_orders) BY 10000 LOOP
                                    UPDATE demo_orders SET amount_new = amount
                                    WHERE id >= low AND id < low + 10000 AND amount_new IS NULL;
                                    COMMIT;
                                  END LOOP;
                                END $$""",
                                "BEGIN",
                                "SET LOCAL lock_timeout = '2s'",
                                "DROP TRIGGER tg_demo_orders__amount_new ON demo_orders",
                                "ALTER TABLE demo_orders RENAME COLUMN amount TO amount_old",
                                "ALTER TABLE demo_orders RENAME COLUMN amount_new TO amount",
                                "ALTER TABLE demo_orders ALTER COLUMN amount_old DROP NOT NULL",
                                "COMMIT"),
                                List.of("BEGIN", "LOCK TABLE demo_orders IN ACCESS EXCLUSIVE MODE",
                                        "UPDATE demo_orders SET amount_old = amount WHERE amount_old IS NULL",
                                        "ALTER TABLE demo_orders DROP COLUMN amount", "ALTER TABLE demo_orders RENAME COLUMN amount_old TO amount",
                                        "ALTER TABLE demo_orders ALTER COLUMN amount SET NOT NULL", "DROP FUNCTION demo_orders_amount_new()", "COMMIT"))));
    }

    private static List<String> dropConstraint(String name) {
        return List.of("ALTER TABLE demo_orders DROP CONSTRAINT " + name);
    }

    private static void setUp(Connection ddl, int rows) throws SQLException {
        execute(ddl, List.of(
                "CREATE TABLE demo_customers (id bigint PRIMARY KEY)",
                "INSERT INTO demo_customers SELECT g FROM generate_series(1, 1000) g",
                "CREATE TABLE demo_orders (id bigint GENERATED BY DEFAULT AS IDENTITY PRIMARY KEY, customer_id bigint NOT NULL,"
                        + " amount int NOT NULL, note text, created_at timestamptz NOT NULL DEFAULT now())",
                "INSERT INTO demo_orders (customer_id, amount, note) SELECT 1 + g % 1000, g % 500, 'order ' || g FROM generate_series(1, " + rows + ") g",
                "VACUUM ANALYZE demo_orders", "VACUUM ANALYZE demo_customers"));
    }

    /** Runs one form while the writer writes; the writer's stall is taken over the form and a settle time after it. */
    private static Figures measure(Connection ddl, String database, Writer writer, Form form) throws Exception {
        try (ExclusiveSampler sampler = new ExclusiveSampler(TestPostgres.server().connect(database), pid(ddl))) {
            writer.resetStall();
            long start = System.nanoTime();
            execute(ddl, form.statements());
            double total = (System.nanoTime() - start) / 1e6;
            Thread.sleep(500); // inserts queued behind the change finish, and count
            return new Figures(writer.longestStallMs(), sampler.heldMs(), total);
        }
    }

    private static int pid(Connection connection) throws SQLException {
        try (Statement statement = connection.createStatement(); ResultSet row = statement.executeQuery("SELECT pg_backend_pid()")) {
            row.next();
            return row.getInt(1);
        }
    }

    private static void execute(Connection connection, List<String> statements) throws SQLException {
        try (Statement statement = connection.createStatement()) {
            for (String sql : statements) {
                statement.execute(sql);
            }
        }
    }

    static double median(List<Double> values) {
        return ScaleBenchmark.median(values);
    }

    /** Inserts at a steady rate on its own connection; a stall is how late an insert finished against its schedule. */
    private static final class Writer implements AutoCloseable {

        private final Thread thread;
        private volatile boolean running = true;
        private volatile long longestStallNanos;
        private volatile SQLException failure;

        Writer(Connection connection) {
            thread = new Thread(() -> write(connection), "demo-writer");
            thread.setDaemon(true);
            thread.start();
        }

        private void write(Connection connection) {
            long interval = 1_000_000_000L / WRITES_PER_SECOND;
            try (connection; PreparedStatement insert = connection.prepareStatement(
                    "INSERT INTO demo_orders (customer_id, amount, note) VALUES (?, ?, 'written during the demo')")) {
                long next = System.nanoTime();
                while (running) {
                    insert.setLong(1, 1 + ThreadLocalRandom.current().nextInt(1000));
                    insert.setInt(2, ThreadLocalRandom.current().nextInt(500));
                    insert.executeUpdate();
                    long late = System.nanoTime() - next;
                    if (late > longestStallNanos) {
                        longestStallNanos = late;
                    }
                    next += interval;
                    long wait = next - System.nanoTime();
                    if (wait > 0) {
                        Thread.sleep(wait / 1_000_000, (int) (wait % 1_000_000));
                    } else if (-wait > interval * 10) {
                        next = System.nanoTime(); // after a stall, carry on at the steady rate instead of bursting
                    }
                }
            } catch (SQLException e) {
                failure = e;
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }

        void resetStall() throws SQLException {
            if (failure != null) {
                throw failure;
            }
            longestStallNanos = 0;
        }

        double longestStallMs() throws SQLException {
            if (failure != null) {
                throw failure;
            }
            return longestStallNanos / 1e6;
        }

        @Override
        public void close() throws InterruptedException {
            running = false;
            thread.join();
        }
    }

    /** Sums the time another session holds ACCESS EXCLUSIVE on demo_orders, sampled as fast as one connection can. */
    private static final class ExclusiveSampler implements AutoCloseable {

        private final Thread thread;
        private volatile boolean running = true;
        private volatile long heldNanos;

        ExclusiveSampler(Connection connection, int pid) {
            thread = new Thread(() -> sample(connection, pid), "demo-lock-sampler");
            thread.setDaemon(true);
            thread.start();
        }

        private void sample(Connection connection, int pid) {
            try (connection; Statement statement = connection.createStatement()) {
                String sql = "SELECT count(*) FROM pg_locks WHERE pid = " + pid + " AND locktype = 'relation' AND granted"
                        + " AND mode = 'AccessExclusiveLock' AND relation = 'demo_orders'::regclass";
                long last = System.nanoTime();
                boolean heldBefore = false;
                while (running) {
                    boolean held;
                    try (ResultSet row = statement.executeQuery(sql)) {
                        row.next();
                        held = row.getInt(1) > 0;
                    }
                    long now = System.nanoTime();
                    if (held || heldBefore) {
                        heldNanos += now - last; // a lock seen now, or seen last time, was held for (part of) the interval
                    }
                    heldBefore = held;
                    last = now;
                }
            } catch (SQLException e) {
                running = false;
            }
        }

        double heldMs() {
            return heldNanos / 1e6;
        }

        @Override
        public void close() throws InterruptedException {
            running = false;
            thread.join();
        }
    }
}
