import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A mixed soak of the running service: 60% GET, 20% POST and 20% PATCH, the PATCHes partly aimed at a few hot rows
 * at once, each carrying the version it read (If-Match). After a 60 s warm-up it measures the peak (closed loop, the
 * median of three 10 s windows), then sends at 80% of it (open loop, latency counted from when each request was due)
 * and prints the 5xx count, requests with no answer, lost updates, p99, and the service's heap after a full GC at the
 * start and at the end. Exits 1 on any 5xx, unanswered request or lost update.
 *
 * <p>Run from the repository root, with the service up: {@code java bench/Soak.java [seconds=120] [url=http://localhost:8080]}.
 * The heap is read with jcmd from the JDK running this, from the process whose command line names the service's jar.
 */
public class Soak {

    private static final Pattern ID = Pattern.compile("\"id\":(\\d+)");
    private static final Pattern VERSION = Pattern.compile("\"version\":(\\d+)");
    private static final Pattern DISPLAY_NAME = Pattern.compile("\"displayName\":\"([^\"]*)\"");
    private static final int HOT_ROWS = 5;

    private final HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).connectTimeout(Duration.ofSeconds(5)).build();
    private final String base;
    private final List<Long> rows = Collections.synchronizedList(new ArrayList<>());
    private final List<Long> hot = new ArrayList<>();
    private final Map<Long, Long> lastSeenVersion = new ConcurrentHashMap<>();
    /** Every acknowledged PATCH: row, the version it produced, the value it wrote. */
    private final List<long[]> acknowledged = Collections.synchronizedList(new ArrayList<>());
    private final Map<String, String> written = new ConcurrentHashMap<>();
    private final AtomicInteger serverErrors = new AtomicInteger();
    /** Requests that got no HTTP answer at all (refused, reset, timed out). */
    private final AtomicInteger unanswered = new AtomicInteger();
    private static final int SOAK_CONNECTIONS = 32;
    private static final int ANSWER_WITHIN_SECONDS = 30;
    private final AtomicInteger clientErrors = new AtomicInteger();
    private final Map<Integer, AtomicInteger> clientErrorStatuses = new ConcurrentHashMap<>();
    private final AtomicInteger succeeded = new AtomicInteger();
    private final AtomicLong sequence = new AtomicLong(System.nanoTime());

    Soak(String base) {
        this.base = base;
    }

    public static void main(String[] args) throws Exception {
        int seconds = args.length > 0 ? Integer.parseInt(args[0]) : 120;
        Soak soak = new Soak(args.length > 1 ? args[1] : "http://localhost:8080");
        Optional<ProcessHandle> service = ProcessHandle.allProcesses()
                .filter(p -> p.info().commandLine().map(c -> c.contains("backend-0.1.0-SNAPSHOT") || c.contains("dev.keel.backend")).orElse(false))
                .findFirst();
        try {
            soak.seed();
        } catch (java.net.ConnectException e) {
            System.err.println("No service answers at " + soak.base + ": start it first (mvn -pl apps/backend -am spring-boot:run), then run this again.");
            System.exit(2);
        }
        String heapBefore = service.map(Soak::heapAfterFullGc).orElse("unknown (service process not found)");

        // On two cores the JIT is still compiling after a minute; a peak taken early, or in one lucky window, would
        // set a rate the service cannot keep up, and the soak would measure an overload instead.
        soak.peak(8, 60);
        List<Double> windows = new ArrayList<>(List.of(soak.peak(8, 10), soak.peak(8, 10), soak.peak(8, 10)));
        Collections.sort(windows);
        double peak = windows.get(1);
        double rate = peak * 0.8;
        System.out.printf("Peak, closed loop, 8 connections, median of three 10 s windows after a 60 s warm-up: %.0f req/s %s;"
                + " soaking %d s at %.0f req/s (80%%)%n", peak, windows.stream().map(w -> String.format("%.0f", w)).toList(), seconds, rate);
        soak.reset();
        List<Long> latencies = soak.openLoop(rate, seconds);
        String heapAfter = service.map(Soak::heapAfterFullGc).orElse("unknown");
        long lost = soak.lostUpdates();

        Collections.sort(latencies);
        System.out.printf("Requests: %d sent, %d 2xx, %d 4xx %s (412 and 409: a concurrent PATCH won), %d 5xx, %d unanswered%n",
                latencies.size(), soak.succeeded.get(), soak.clientErrors.get(), new java.util.TreeMap<>(soak.clientErrorStatuses), soak.serverErrors.get(),
                soak.unanswered.get());
        System.out.printf("Latency from when each request was due: p50 %.2f ms, p99 %.2f ms, max %.2f ms%n",
                percentile(latencies, 0.50), percentile(latencies, 0.99), percentile(latencies, 1.0));
        System.out.printf("Lost updates: %d (%d acknowledged PATCHes checked, %d of them on %d hot rows)%n",
                lost, soak.acknowledged.size(), soak.acknowledged.stream().filter(a -> soak.hot.contains(a[0])).count(), HOT_ROWS);
        System.out.println("Heap after a full GC: at the start " + heapBefore + ", at the end " + heapAfter);
        System.exit(soak.serverErrors.get() == 0 && soak.unanswered.get() == 0 && lost == 0 ? 0 : 1);
    }

    private void seed() throws Exception {
        for (int i = 0; i < 50; i++) {
            HttpResponse<String> created = send(post());
            long id = Long.parseLong(match(ID, created.body()));
            rows.add(id);
            lastSeenVersion.put(id, Long.parseLong(match(VERSION, created.body())));
            if (hot.size() < HOT_ROWS) {
                hot.add(id);
            }
        }
    }

    private void reset() {
        serverErrors.set(0);
        unanswered.set(0);
        clientErrors.set(0);
        clientErrorStatuses.clear();
        succeeded.set(0);
    }

    /** Closed loop: each of {@code connections} workers sends the next request when the last one is answered. */
    private double peak(int connections, int seconds) throws InterruptedException {
        AtomicInteger done = new AtomicInteger();
        long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(seconds);
        List<Thread> workers = new ArrayList<>();
        for (int i = 0; i < connections; i++) {
            Thread worker = new Thread(() -> {
                while (System.nanoTime() < end) {
                    try {
                        Call call = next();
                        record(call, send(call.request()));
                    } catch (Exception e) {
                        unanswered.incrementAndGet();
                    }
                    done.incrementAndGet();
                }
            });
            workers.add(worker);
            worker.start();
        }
        for (Thread worker : workers) {
            worker.join();
        }
        return done.get() / (double) seconds;
    }

    /**
     * Open loop on a fixed set of connections, as wrk2 does: requests are due at a fixed rate whatever the answers, and
     * latency counts from when each was due, so a slow answer shows in every request queued behind it. The connections
     * are bounded ({@value #SOAK_CONNECTIONS}), so a slow moment is measured as latency instead of making this client
     * open connections without end on the same two cores as the service.
     */
    private List<Long> openLoop(double rate, int seconds) throws InterruptedException {
        List<Long> latencies = Collections.synchronizedList(new ArrayList<>());
        long total = (long) (rate * seconds);
        long intervalNanos = (long) (1_000_000_000L / rate);
        AtomicLong next = new AtomicLong();
        long start = System.nanoTime();
        List<Thread> workers = new ArrayList<>();
        for (int i = 0; i < SOAK_CONNECTIONS; i++) {
            Thread worker = new Thread(() -> {
                for (long n = next.getAndIncrement(); n < total; n = next.getAndIncrement()) {
                    long due = start + n * intervalNanos;
                    long wait = due - System.nanoTime();
                    if (wait > 0) {
                        LockSupport.parkNanos(wait);
                    }
                    Call call = next();
                    try {
                        record(call, send(call.request()));
                    } catch (Exception e) {
                        unanswered.incrementAndGet();
                    }
                    latencies.add(System.nanoTime() - due);
                }
            });
            workers.add(worker);
            worker.start();
        }
        for (Thread worker : workers) {
            worker.join();
        }
        return new ArrayList<>(latencies);
    }

    private record Call(String kind, long row, long version, String value, HttpRequest request) {
    }

    private Call next() {
        ThreadLocalRandom random = ThreadLocalRandom.current();
        int dice = random.nextInt(100);
        if (dice < 60) {
            long row = rows.get(random.nextInt(rows.size()));
            return new Call("GET", row, 0, null, HttpRequest.newBuilder(URI.create(base + "/api/users/" + row)).GET().build());
        }
        if (dice < 80) {
            return new Call("POST", 0, 0, null, post());
        }
        long row = random.nextBoolean() ? hot.get(random.nextInt(hot.size())) : rows.get(random.nextInt(rows.size()));
        long version = lastSeenVersion.getOrDefault(row, 0L);
        String value = "soak-" + sequence.incrementAndGet();
        HttpRequest patch = HttpRequest.newBuilder(URI.create(base + "/api/users/" + row))
                .header("Content-Type", "application/json").header("If-Match", "\"" + version + "\"")
                .method("PATCH", HttpRequest.BodyPublishers.ofString("{\"displayName\":\"" + value + "\"}")).build();
        return new Call("PATCH", row, version, value, patch);
    }

    private HttpRequest post() {
        String email = "soak-" + sequence.incrementAndGet() + "@example.com";
        return HttpRequest.newBuilder(URI.create(base + "/api/users")).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString("{\"email\":\"" + email + "\",\"displayName\":\"Soak\"}")).build();
    }

    private void record(Call call, HttpResponse<String> response) {
        int status = response.statusCode();
        if (status >= 500) {
            serverErrors.incrementAndGet();
            return;
        }
        if (status >= 400) {
            clientErrors.incrementAndGet();
            clientErrorStatuses.computeIfAbsent(status, any -> new AtomicInteger()).incrementAndGet();
            if (status == 412) {
                Matcher current = Pattern.compile("now at version (\\d+)").matcher(response.body());
                if (current.find()) {
                    lastSeenVersion.merge(call.row(), Long.parseLong(current.group(1)), Math::max);
                }
            }
            return;
        }
        succeeded.incrementAndGet();
        if (call.kind().equals("POST") && status == 201) {
            rows.add(Long.parseLong(match(ID, response.body())));
        } else if (call.kind().equals("PATCH")) {
            long version = Long.parseLong(match(VERSION, response.body()));
            acknowledged.add(new long[] {call.row(), version});
            written.put(call.row() + "@" + version, call.value());
            lastSeenVersion.merge(call.row(), version, Math::max);
        } else if (call.kind().equals("GET")) {
            lastSeenVersion.merge(call.row(), Long.parseLong(match(VERSION, response.body())), Math::max);
        }
    }

    /**
     * An acknowledged PATCH is lost when another acknowledged PATCH produced the same version of the row (both
     * were told they won), when it claims a version the row never reached, or when it produced the row's final
     * version but the row does not hold its value.
     */
    private long lostUpdates() throws Exception {
        long lost = 0;
        Map<String, Integer> producedVersion = new ConcurrentHashMap<>();
        for (long[] ack : List.copyOf(acknowledged)) {
            producedVersion.merge(ack[0] + "@" + ack[1], 1, Integer::sum);
        }
        lost += producedVersion.values().stream().filter(count -> count > 1).mapToLong(count -> count - 1).sum();
        for (long row : acknowledged.stream().map(ack -> ack[0]).distinct().toList()) {
            String body = send(HttpRequest.newBuilder(URI.create(base + "/api/users/" + row)).GET().build()).body();
            long finalVersion = Long.parseLong(match(VERSION, body));
            String finalValue = match(DISPLAY_NAME, body);
            for (long[] ack : List.copyOf(acknowledged)) {
                if (ack[0] != row) {
                    continue;
                }
                if (ack[1] > finalVersion || ack[1] == finalVersion && !finalValue.equals(written.get(row + "@" + ack[1]))) {
                    lost++;
                }
            }
        }
        return lost;
    }

    /** A request that gets no answer within {@value #ANSWER_WITHIN_SECONDS} s counts as unanswered; a hung service cannot hang the soak. */
    private HttpResponse<String> send(HttpRequest request) throws IOException, InterruptedException {
        HttpRequest bounded = HttpRequest.newBuilder(request, (name, value) -> true).timeout(Duration.ofSeconds(ANSWER_WITHIN_SECONDS)).build();
        return client.send(bounded, HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
    }

    private static String match(Pattern pattern, String body) {
        Matcher matcher = pattern.matcher(body);
        if (!matcher.find()) {
            throw new IllegalStateException("Unexpected answer: " + body);
        }
        return matcher.group(1);
    }

    private static double percentile(List<Long> sortedNanos, double quantile) {
        if (sortedNanos.isEmpty()) {
            return 0;
        }
        int index = (int) Math.min(sortedNanos.size() - 1, Math.ceil(quantile * sortedNanos.size()) - 1);
        return sortedNanos.get(Math.max(0, index)) / 1_000_000.0;
    }

    /** Runs a full GC in the service and reads its used heap, with the JDK's jcmd. */
    private static String heapAfterFullGc(ProcessHandle service) {
        try {
            String jcmd = ProcessHandle.current().info().command().map(java -> java.replaceAll("java(\\.exe)?$", "jcmd$1")).orElse("jcmd");
            run(jcmd, String.valueOf(service.pid()), "GC.run");
            String info = run(jcmd, String.valueOf(service.pid()), "GC.heap_info");
            Matcher used = Pattern.compile("used (\\d+)K").matcher(info);
            return used.find() ? Long.parseLong(used.group(1)) / 1024 + " MiB" : "unreadable";
        } catch (Exception e) {
            return "unreadable (" + e.getMessage() + ")";
        }
    }

    private static String run(String... command) throws IOException, InterruptedException {
        Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        process.waitFor();
        return output;
    }
}
