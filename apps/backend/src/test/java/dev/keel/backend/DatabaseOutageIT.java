package dev.keel.backend;

import static dev.keel.backend.testing.Samples.aUser;
import static org.assertj.core.api.Assertions.assertThat;

import dev.keel.backend.testing.Api;
import dev.keel.persistence.config.DatabaseSettings;
import dev.keel.testdb.TestPostgres;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Array;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.springframework.util.FileSystemUtils;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.TestConfiguration;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.context.annotation.Bean;
import org.springframework.test.annotation.DirtiesContext;

/**
 * The service through a database outage, on a PostgreSQL of the test's own that it stops and starts again: 503
 * problem+json with Retry-After within the pool's connection timeout, readiness OUT_OF_SERVICE while liveness stays
 * UP, one WARN line at each end of the outage, requests served again within 2 s of the database's return without a
 * restart, and every acknowledged write still there.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
@ExtendWith(OutputCaptureExtension.class)
@DirtiesContext(classMode = DirtiesContext.ClassMode.AFTER_CLASS)
class DatabaseOutageIT {

    private static final int CONNECTION_TIMEOUT_MS = 1000;
    private static final Path DATA = temporaryDirectory();
    private static final int PORT = freePort();
    private static EmbeddedPostgres postgres = start();

    @TestConfiguration(proxyBeanMethods = false)
    static class OnItsOwnServer {

        /** The service's own pool (persistence's DataSourceFactory), pointed at this test's server. */
        @Bean
        DatabaseSettings databaseSettings() {
            return new DatabaseSettings("jdbc:postgresql://localhost:" + PORT + "/postgres", TestPostgres.APP_ROLE,
                    TestPostgres.APP_PASSWORD, 5, CONNECTION_TIMEOUT_MS, 600_000, 1_800_000);
        }
    }

    @LocalServerPort
    private int port;

    @Test
    void answers503WhileTheDatabaseIsAwayAndRecoversOnItsOwnWithoutLosingAcknowledgedWrites(CapturedOutput output) throws Exception {
        Api api = new Api(port);
        long existing = api.post("/api/users", aUser("before@example.com")).id();
        assertThat(status(api, "/actuator/health/readiness")).isEqualTo(200);

        List<Long> acknowledged = Collections.synchronizedList(new ArrayList<>());
        AtomicBoolean writing = new AtomicBoolean(true);
        AtomicInteger written = new AtomicInteger();
        Thread writer = new Thread(() -> {
            while (writing.get()) {
                Api.Response response = api.post("/api/users", aUser("w" + written.incrementAndGet() + "@example.com"));
                if (response.status() == 201) {
                    acknowledged.add(response.id());
                }
            }
        });
        writer.start();
        Thread.sleep(300);

        int logFrom = output.getOut().length();
        long outageStart = System.nanoTime();
        postgres.close();
        long stopped = System.nanoTime();

        Api.Response unavailable;
        long requestTook;
        do {
            long sent = System.nanoTime();
            unavailable = api.get("/api/users/" + existing);
            requestTook = millisSince(sent);
        } while (unavailable.status() == 200);
        long firstUnavailable = System.nanoTime();
        assertThat(unavailable.status()).as(unavailable.toString()).isEqualTo(503);
        assertThat(unavailable.header("Content-Type")).startsWith("application/problem+json");
        assertThat(unavailable.header("Retry-After")).isEqualTo("2");
        assertThat(requestTook).as("a request during the outage waits at most the pool's connection timeout")
                .isLessThanOrEqualTo(CONNECTION_TIMEOUT_MS + 500);
        Api.Response duringOutage = api.get("/api/users/" + existing);
        assertThat(duringOutage.status()).isEqualTo(503);

        awaitStatus(api, "/actuator/health/readiness", 503, Duration.ofSeconds(5));
        assertThat(api.get("/actuator/health/readiness").body()).contains("OUT_OF_SERVICE");
        assertThat(status(api, "/actuator/health/liveness")).isEqualTo(200);
        for (int poll = 0; poll < 2; poll++) {
            assertThat(status(api, "/actuator/health")).as("what a load balancer polls").isEqualTo(503);
        }
        assertThat(api.post("/api/users", aUser("refused@example.com")).status()).isEqualTo(503);

        Thread.sleep(2000);
        postgres = start();
        long back = System.nanoTime();
        Api.Response served;
        do {
            served = api.get("/api/users/" + existing);
        } while (served.status() != 200 && millisSince(back) < 10_000);
        long firstServed = System.nanoTime();
        assertThat(served.status()).as(served.toString()).isEqualTo(200);
        assertThat(Duration.ofNanos(firstServed - back)).as("served again after the database came back").isLessThanOrEqualTo(Duration.ofSeconds(2));
        awaitStatus(api, "/actuator/health/readiness", 200, Duration.ofSeconds(2));

        Thread.sleep(300);
        writing.set(false);
        writer.join();
        assertThat(acknowledged).isNotEmpty();
        assertThat(missing(acknowledged)).as("acknowledged writes missing after the outage").isEmpty();

        List<String> logged = output.getOut().substring(logFrom).lines().toList();
        assertThat(logged.stream().filter(line -> line.contains(" WARN ") || line.contains(" ERROR ")))
                .as(String.join("\n", logged)).hasSize(2)
                .anySatisfy(line -> assertThat(line).contains("Database unreachable"))
                .anySatisfy(line -> assertThat(line).contains("Database reachable again"));
        assertThat(logged).as("no stack trace").noneMatch(line -> line.startsWith("\tat ") || line.contains("Exception:"));

        System.out.printf("Outage timeline (ms after PostgreSQL was told to stop): stopped %d, first 503 %d,"
                        + " back %d, first 200 %d (%d ms after its return); %d writes acknowledged, none lost%n",
                millis(stopped - outageStart), millis(firstUnavailable - outageStart), millis(back - outageStart),
                millis(firstServed - outageStart), millis(firstServed - back), acknowledged.size());
    }

    private static List<Long> missing(List<Long> ids) throws Exception {
        try (Connection connection = server().connect("postgres");
             PreparedStatement query = connection.prepareStatement("SELECT id FROM unnest(?) AS id WHERE id NOT IN (SELECT id FROM users)")) {
            Array array = connection.createArrayOf("bigint", ids.toArray());
            query.setArray(1, array);
            List<Long> missing = new ArrayList<>();
            try (ResultSet rows = query.executeQuery()) {
                while (rows.next()) {
                    missing.add(rows.getLong(1));
                }
            }
            return missing;
        }
    }

    private static int status(Api api, String path) {
        return api.get(path).status();
    }

    private static void awaitStatus(Api api, String path, int status, Duration within) throws InterruptedException {
        long start = System.nanoTime();
        while (status(api, path) != status && millisSince(start) < within.toMillis()) {
            Thread.sleep(50);
        }
        assertThat(status(api, path)).as(path).isEqualTo(status);
    }

    private static long millisSince(long start) {
        return millis(System.nanoTime() - start);
    }

    private static long millis(long nanos) {
        return nanos / 1_000_000;
    }

    private static TestPostgres.Server server() {
        try {
            return TestPostgres.embeddedServer(PORT, "the outage test's PostgreSQL on port " + PORT);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Starts the test's server on its fixed port and data directory; the first start also applies the changelog. */
    private static EmbeddedPostgres start() {
        try {
            boolean fresh = !Files.exists(DATA.resolve("postgresql.conf"));
            EmbeddedPostgres started = TestPostgres.startEmbedded(builder -> builder.setDataDirectory(DATA).setCleanDataDirectory(false).setPort(PORT));
            if (fresh) {
                TestPostgres.migrate(server(), "postgres");
            }
            return started;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @AfterAll
    static void stop() throws IOException {
        postgres.close();
        FileSystemUtils.deleteRecursively(DATA);
    }

    private static Path temporaryDirectory() {
        try {
            return Files.createTempDirectory("keel-outage-");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static int freePort() {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
