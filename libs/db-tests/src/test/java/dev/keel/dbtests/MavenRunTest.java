package dev.keel.dbtests;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayInputStream;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class MavenRunTest {

    @Test
    void keepsACharacterWholeWhenItsBytesArriveInTwoReads() {
        String text = "Größe € 😀 ".repeat(2000);
        StringBuffer output = new StringBuffer();

        MavenRun.copy(new OneByteAtATime(text.getBytes(StandardCharsets.UTF_8)), output);

        assertThat(output.toString()).isEqualTo(text);
    }

    /** A pipe at its slowest: every read gives at most one byte, so every multi-byte character is split. */
    private static final class OneByteAtATime extends InputStream {

        private final ByteArrayInputStream bytes;

        OneByteAtATime(byte[] bytes) {
            this.bytes = new ByteArrayInputStream(bytes);
        }

        @Override
        public int read() {
            return bytes.read();
        }

        @Override
        public int read(byte[] buffer, int offset, int length) {
            return bytes.read(buffer, offset, Math.min(1, length));
        }
    }
}
