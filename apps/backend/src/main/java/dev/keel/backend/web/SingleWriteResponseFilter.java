package dev.keel.backend.web;

import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.ServletOutputStream;
import jakarta.servlet.WriteListener;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import jakarta.servlet.http.HttpServletResponseWrapper;
import java.io.IOException;
import org.springframework.core.Ordered;
import org.springframework.core.annotation.Order;
import org.springframework.stereotype.Component;
import org.springframework.web.filter.OncePerRequestFilter;

/**
 * Lets an API response go out as one write with a Content-Length. Spring's message converters flush after writing
 * the body, which commits the response before its length is known, so Tomcat sends it chunked: a second write
 * and a chunk trailer per request. Without that flush Tomcat sends whatever fits its buffer (8 KiB) whole when the
 * request ends, and a larger body streams as before once the buffer fills.
 */
@Component
@Order(Ordered.HIGHEST_PRECEDENCE + 1)
class SingleWriteResponseFilter extends OncePerRequestFilter {

    @Override
    protected boolean shouldNotFilter(HttpServletRequest request) {
        return !request.getRequestURI().startsWith("/api/");
    }

    @Override
    protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
            throws ServletException, IOException {
        chain.doFilter(request, new WithoutEarlyFlush(response));
    }

    private static final class WithoutEarlyFlush extends HttpServletResponseWrapper {

        private ServletOutputStream body;

        WithoutEarlyFlush(HttpServletResponse response) {
            super(response);
        }

        @Override
        public void flushBuffer() {
        }

        @Override
        public ServletOutputStream getOutputStream() throws IOException {
            if (body == null) {
                body = new WithoutFlush(super.getOutputStream());
            }
            return body;
        }
    }

    private static final class WithoutFlush extends ServletOutputStream {

        private final ServletOutputStream delegate;

        WithoutFlush(ServletOutputStream delegate) {
            this.delegate = delegate;
        }

        @Override
        public void write(int b) throws IOException {
            delegate.write(b);
        }

        @Override
        public void write(byte[] bytes, int offset, int length) throws IOException {
            delegate.write(bytes, offset, length);
        }

        @Override
        public void flush() {
        }

        @Override
        public void close() throws IOException {
            delegate.close();
        }

        @Override
        public boolean isReady() {
            return delegate.isReady();
        }

        @Override
        public void setWriteListener(WriteListener listener) {
            delegate.setWriteListener(listener);
        }
    }
}
