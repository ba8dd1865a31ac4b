package dev.keel.db.liquibase;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class LocalHostsTest {

    @Test
    void acceptsOnlyLoopbackNames() {
        assertThat(LocalHosts.allLocal("jdbc:postgresql://localhost:5432/keel")).isTrue();
        assertThat(LocalHosts.allLocal("jdbc:postgresql://127.0.0.1/keel?ssl=false")).isTrue();
        assertThat(LocalHosts.allLocal("jdbc:postgresql://[::1]:5432/keel")).isTrue();
        assertThat(LocalHosts.allLocal("jdbc:postgresql://LOCALHOST:5432/keel")).isTrue();

        assertThat(LocalHosts.allLocal("jdbc:postgresql://db.internal:5432/keel")).isFalse();
        assertThat(LocalHosts.allLocal("jdbc:postgresql://localhost.example.com/keel")).isFalse();
        assertThat(LocalHosts.allLocal("jdbc:postgresql://127.0.0.2/keel")).isFalse();
        assertThat(LocalHosts.allLocal("jdbc:mysql://localhost/keel")).isFalse();
    }

    @Test
    void everyHostOfAMultiHostUrlMustBeLocal() {
        assertThat(LocalHosts.hostsOf("jdbc:postgresql://db.example.com:5432,127.0.0.1:5432/keel"))
                .containsExactly("db.example.com", "127.0.0.1");
        assertThat(LocalHosts.allLocal("jdbc:postgresql://db.example.com:5432,127.0.0.1:5432/keel")).isFalse();
        assertThat(LocalHosts.allLocal("jdbc:postgresql://localhost:5432,127.0.0.1:5433/keel")).isTrue();
    }
}
