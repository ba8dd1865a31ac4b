package dev.keel.backend.availability;

import com.zaxxer.hikari.HikariDataSource;
import java.net.ConnectException;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.SQLTransientConnectionException;
import java.time.Duration;
import java.time.Instant;
import java.util.Properties;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import javax.sql.DataSource;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.DisposableBean;
import org.springframework.boot.availability.AvailabilityChangeEvent;
import org.springframework.boot.availability.ReadinessState;
import org.springframework.context.ApplicationEventPublisher;

/**
 * Whether the database answers. The first request that finds it unreachable opens an outage: one WARN line,
 * readiness REFUSING_TRAFFIC (so a load balancer stops sending), and a probe twice a second on a connection of its
 * own. While it lasts, API requests are answered 503 at once instead of each waiting for the pool. When the probe
 * connects, the pool is primed with a fresh connection, readiness returns to ACCEPTING_TRAFFIC and one more WARN
 * line says how long it lasted.
 */
public class DatabaseAvailability implements DisposableBean {

    /** How often the probe tries while the database is away, and what a 503 tells clients to wait. */
    public static final Duration PROBE_INTERVAL = Duration.ofMillis(500);
    public static final Duration RETRY_AFTER = Duration.ofSeconds(2);

    private static final Logger LOG = LoggerFactory.getLogger(DatabaseAvailability.class);

    private final DataSource dataSource;
    private final ApplicationEventPublisher events;
    private final AtomicReference<Instant> downSince = new AtomicReference<>();
    private final ScheduledExecutorService probe = Executors.newSingleThreadScheduledExecutor(runnable -> {
        Thread thread = new Thread(runnable, "database-probe");
        thread.setDaemon(true);
        return thread;
    });

    public DatabaseAvailability(DataSource dataSource, ApplicationEventPublisher events) {
        this.dataSource = dataSource;
        this.events = events;
    }

    public boolean isDown() {
        return downSince.get() != null;
    }

    /** Whether a failure means the database cannot be reached, as opposed to, say, a pool busy under load. */
    public static boolean isConnectionFailure(Throwable failure) {
        for (Throwable cause = failure; cause != null; cause = cause.getCause()) {
            if (cause instanceof ConnectException
                    || cause instanceof SQLException sql && sql.getSQLState() != null && sql.getSQLState().startsWith("08")) {
                return true;
            }
        }
        return false;
    }

    /** The pool timed out with no failure to connect behind it: every connection is in use, the database is there. */
    static boolean isPoolBusy(Throwable failure) {
        for (Throwable cause = failure; cause != null; cause = cause.getCause()) {
            if (cause instanceof SQLTransientConnectionException timeout && timeout.getCause() == null) {
                return true;
            }
        }
        return false;
    }

    /**
     * Reports a failed database call and says whether the database is away: the failure says so, or, when it does
     * not (a rollback that fails after the connection broke says only "Connection is closed"), a connection of the
     * probe's own cannot be made. A database that answers means the failure is something else, such as a busy pool.
     */
    public boolean failed(Throwable failure) {
        if (isDown()) {
            return true;
        }
        if (isPoolBusy(failure)) {
            // Under load every refused request lands here; a probe connection for each would add to the load.
            return false;
        }
        if (!isConnectionFailure(failure)) {
            try {
                reachable();
                return false;
            } catch (SQLException unreachable) {
                // the failure is the outage after all
            }
        }
        if (downSince.compareAndSet(null, Instant.now())) {
            LOG.warn("Database unreachable ({}); answering 503 and reporting readiness REFUSING_TRAFFIC until it answers again",
                    rootMessage(failure));
            AvailabilityChangeEvent.publish(events, this, ReadinessState.REFUSING_TRAFFIC);
            probe.schedule(this::probeOnce, PROBE_INTERVAL.toMillis(), TimeUnit.MILLISECONDS);
        }
        return true;
    }

    private void probeOnce() {
        Instant since = downSince.get();
        if (since == null) {
            return;
        }
        try {
            reachable();
            if (dataSource instanceof HikariDataSource pool && pool.getHikariPoolMXBean() != null) {
                pool.getHikariPoolMXBean().softEvictConnections();
            }
            try (Connection primed = dataSource.getConnection()) {
                primed.isValid(1);
            }
            downSince.set(null);
            AvailabilityChangeEvent.publish(events, this, ReadinessState.ACCEPTING_TRAFFIC);
            LOG.warn("Database reachable again after {} s; accepting traffic", Duration.between(since, Instant.now()).toMillis() / 1000.0);
        } catch (SQLException | RuntimeException stillDown) {
            probe.schedule(this::probeOnce, PROBE_INTERVAL.toMillis(), TimeUnit.MILLISECONDS);
        }
    }

    /** Connects outside the pool, so the probe never waits behind the pool's own retries. */
    private void reachable() throws SQLException {
        if (!(dataSource instanceof HikariDataSource pool)) {
            return;
        }
        Properties properties = new Properties();
        properties.putAll(pool.getDataSourceProperties());
        properties.setProperty("user", pool.getUsername());
        if (pool.getPassword() != null) {
            properties.setProperty("password", pool.getPassword());
        }
        properties.setProperty("connectTimeout", "1");
        properties.setProperty("socketTimeout", "2");
        try (Connection connection = DriverManager.getConnection(pool.getJdbcUrl(), properties)) {
            if (!connection.isValid(1)) {
                throw new SQLTransientConnectionException("the probe's connection is not valid", "08006");
            }
        }
    }

    private static String rootMessage(Throwable failure) {
        Throwable root = failure;
        while (root.getCause() != null && root.getCause() != root) {
            root = root.getCause();
        }
        return root.getMessage();
    }

    @Override
    public void destroy() {
        probe.shutdownNow();
    }
}
