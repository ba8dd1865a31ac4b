package dev.keel.backend;

import static dev.keel.backend.testing.Samples.aUser;
import static org.assertj.core.api.Assertions.assertThat;

import dev.keel.backend.testing.Api;
import dev.keel.backend.testing.ApiTestSupport;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.function.IntSupplier;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Simultaneous writes: the unique index, not a check-then-insert in code, decides between two creates, and of several
 * updates based on the same version one wins and every other one is told its version is stale (412).
 */
class ConcurrentCreateIT extends ApiTestSupport {

    /** Threads of their own: the common pool has a single thread on a two-core machine, which would run them in turn. */
    private final ExecutorService clients = Executors.newFixedThreadPool(12);

    @AfterEach
    void stopClients() {
        clients.shutdownNow();
    }

    @Test
    void twoSimultaneousCreatesWithTheSameEmailYieldOne201AndOne409() {
        for (int round = 0; round < 10; round++) {
            String email = "race-" + round + "@example.com";

            assertThat(simultaneously(2, () -> api.post("/api/users", aUser(email)).status())).as("round %d", round)
                    .containsExactlyInAnyOrder(201, 409);
            assertThat((Integer) api.get("/api/users?emailPrefix=race-" + round + "@").json("$.totalElements")).isEqualTo(1);
        }
    }

    @Test
    void simultaneousUpdatesOfTheSameVersionYieldOne200AndOnly412() {
        for (int round = 0; round < 6; round++) {
            Api.Response created = api.post("/api/users", aUser("patch-race-" + round + "@example.com"));
            String path = "/api/users/" + created.<Integer>json("$.id");
            String version = created.header("ETag");

            List<Integer> statuses = simultaneously(12, () -> api.patch(path, "{\"displayName\":\"Racer\"}", "If-Match", version).status());

            assertThat(statuses).as("round %d", round).containsOnly(200, 412).filteredOn(status -> status == 200).hasSize(1);
        }
    }

    private List<Integer> simultaneously(int count, IntSupplier request) {
        CountDownLatch start = new CountDownLatch(1);
        List<CompletableFuture<Integer>> requests = IntStream.range(0, count)
                .mapToObj(i -> CompletableFuture.supplyAsync(() -> {
                    await(start);
                    return request.getAsInt();
                }, clients))
                .toList();
        start.countDown();
        return requests.stream().map(CompletableFuture::join).toList();
    }

    private static void await(CountDownLatch latch) {
        try {
            latch.await();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
