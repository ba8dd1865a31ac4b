package dev.keel.db.liquibase;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class JdbcUrlsTest {

    @Test
    void acceptsOnlyLoopbackNames() {
        assertThat(JdbcUrls.allLocal("jdbc:postgresql://localhost:5432/keel")).isTrue();
        assertThat(JdbcUrls.allLocal("jdbc:postgresql://127.0.0.1/keel?ssl=false")).isTrue();
        assertThat(JdbcUrls.allLocal("jdbc:postgresql://[::1]:5432/keel")).isTrue();
        assertThat(JdbcUrls.allLocal("jdbc:postgresql://LOCALHOST:5432/keel")).isTrue();

        assertThat(JdbcUrls.allLocal("jdbc:postgresql://db.internal:5432/keel")).isFalse();
        assertThat(JdbcUrls.allLocal("jdbc:postgresql://localhost.example.com/keel")).isFalse();
        assertThat(JdbcUrls.allLocal("jdbc:postgresql://127.0.0.2/keel")).isFalse();
        assertThat(JdbcUrls.allLocal("jdbc:mysql://localhost/keel")).isFalse();
    }

    @Test
    void everyHostOfAMultiHostUrlMustBeLocal() {
        assertThat(JdbcUrls.hostsOf("jdbc:postgresql://db.example.com:5432,127.0.0.1:5432/keel"))
                .containsExactly("db.example.com", "127.0.0.1");
        assertThat(JdbcUrls.allLocal("jdbc:postgresql://db.example.com:5432,127.0.0.1:5432/keel")).isFalse();
        assertThat(JdbcUrls.allLocal("jdbc:postgresql://localhost:5432,127.0.0.1:5433/keel")).isTrue();
    }

    @Test
    void theHostPgjdbcConnectsToDecidesNotTheUrlsAuthority() {
        String overridden = "jdbc:postgresql://localhost:5432/keelx?host=nonexistent.invalid&";

        assertThat(JdbcUrls.hostsOf(overridden)).containsExactly("nonexistent.invalid");
        assertThat(JdbcUrls.allLocal(overridden)).isFalse();
    }

    @Test
    void aServerThatDoesNotAnswerIsOneLineNamingHostPortAndFix() throws Exception {
        int closedPort;
        try (java.net.ServerSocket socket = new java.net.ServerSocket(0)) {
            closedPort = socket.getLocalPort();
        }
        String url = "jdbc:postgresql://127.0.0.1:" + closedPort + "/keel?sslmode=prefer";

        org.assertj.core.api.Assertions.assertThatThrownBy(() -> JdbcUrls.requireAnswer(url))
                .hasMessageStartingWith("No PostgreSQL answers at 127.0.0.1:" + closedPort + " (Connection refused")
                .hasMessageEndingWith("Start PostgreSQL there, or point DB_HOST and DB_PORT at a running server (.env, the environment or -D).")
                .hasNoCause();
    }

    @Test
    void anyHostThatAnswersIsEnoughAsPgjdbcTriesThemInTurn() throws Exception {
        try (java.net.ServerSocket listening = new java.net.ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            String url = "jdbc:postgresql://db.example.invalid:5432,127.0.0.1:" + listening.getLocalPort() + "/keel";

            JdbcUrls.requireAnswer(url);
        }
    }
}
