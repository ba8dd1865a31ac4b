package dev.keel.backend.availability;

import static org.assertj.core.api.Assertions.assertThat;

import com.zaxxer.hikari.HikariDataSource;
import java.net.ConnectException;
import java.net.ServerSocket;
import java.sql.SQLTransientConnectionException;
import org.junit.jupiter.api.Test;
import org.springframework.transaction.CannotCreateTransactionException;

/** Which failures open an outage, against a database address where nothing listens. */
class DatabaseAvailabilityTest {

    @Test
    void aBusyPoolIsNotAnOutageAndIsNotProbedEvenWhenTheDatabaseIsAway() throws Exception {
        try (HikariDataSource nowhere = pointingNowhere()) {
            DatabaseAvailability availability = new DatabaseAvailability(nowhere, event -> { });
            SQLTransientConnectionException busy = new SQLTransientConnectionException("keel - Connection is not available");

            assertThat(availability.failed(new CannotCreateTransactionException("no connection", busy))).isFalse();
            assertThat(availability.isDown()).isFalse();
            availability.destroy();
        }
    }

    @Test
    void aFailureToConnectOpensAnOutage() throws Exception {
        try (HikariDataSource nowhere = pointingNowhere()) {
            DatabaseAvailability availability = new DatabaseAvailability(nowhere, event -> { });
            SQLTransientConnectionException refused = new SQLTransientConnectionException("keel - Connection is not available",
                    "08001", new ConnectException("Connection refused"));

            assertThat(availability.failed(new CannotCreateTransactionException("no connection", refused))).isTrue();
            assertThat(availability.isDown()).isTrue();
            availability.destroy();
        }
    }

    @Test
    void aFailureThatDoesNotSayIsAnOutageWhenTheProbeCannotConnect() throws Exception {
        try (HikariDataSource nowhere = pointingNowhere()) {
            DatabaseAvailability availability = new DatabaseAvailability(nowhere, event -> { });

            assertThat(availability.failed(new IllegalStateException("Connection is closed"))).isTrue();
            availability.destroy();
        }
    }

    /** A pool that has not started (no connection is tried until one is asked for), for a port nothing listens on. */
    private static HikariDataSource pointingNowhere() throws Exception {
        int port;
        try (ServerSocket socket = new ServerSocket(0)) {
            port = socket.getLocalPort();
        }
        HikariDataSource pool = new HikariDataSource();
        pool.setJdbcUrl("jdbc:postgresql://127.0.0.1:" + port + "/nowhere");
        pool.setUsername("nobody");
        return pool;
    }
}
