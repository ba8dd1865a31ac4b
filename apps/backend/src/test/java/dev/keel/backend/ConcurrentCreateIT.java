package dev.keel.backend;

import static dev.keel.backend.testing.Samples.aUser;
import static org.assertj.core.api.Assertions.assertThat;

import dev.keel.backend.testing.ApiTestSupport;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

/** The unique index, not a check-then-insert in code, decides between two simultaneous creates. */
class ConcurrentCreateIT extends ApiTestSupport {

    @Test
    void twoSimultaneousCreatesWithTheSameEmailYieldOne201AndOne409() {
        for (int round = 0; round < 10; round++) {
            String email = "race-" + round + "@example.com";
            CountDownLatch start = new CountDownLatch(1);
            List<CompletableFuture<Integer>> requests = IntStream.range(0, 2)
                    .mapToObj(i -> CompletableFuture.supplyAsync(() -> {
                        await(start);
                        return api.post("/api/users", aUser(email)).status();
                    }))
                    .toList();
            start.countDown();

            assertThat(requests.stream().map(CompletableFuture::join).toList()).as("round %d", round).containsExactlyInAnyOrder(201, 409);
            assertThat((Integer) api.get("/api/users?emailPrefix=race-" + round + "@").json("$.totalElements")).isEqualTo(1);
        }
    }

    private static void await(CountDownLatch latch) {
        try {
            latch.await();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
