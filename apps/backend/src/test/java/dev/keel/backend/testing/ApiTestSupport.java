package dev.keel.backend.testing;

import org.junit.jupiter.api.BeforeEach;
import org.springframework.boot.test.web.server.LocalServerPort;

/** Base of the full-application tests: the service runs on a random port, and {@link #api} talks to it. */
@IntegrationTest
public abstract class ApiTestSupport {

    @LocalServerPort
    private int port;

    protected Api api;

    @BeforeEach
    void connectApi() {
        api = new Api(port);
    }
}
