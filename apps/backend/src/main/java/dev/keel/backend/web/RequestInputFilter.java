package dev.keel.backend.web;

import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;
import org.springframework.core.Ordered;
import org.springframework.core.annotation.Order;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.InvalidMediaTypeException;
import org.springframework.http.MediaType;
import org.springframework.stereotype.Component;
import org.springframework.web.filter.OncePerRequestFilter;
import tools.jackson.databind.json.JsonMapper;

/**
 * Refuses, before any handler, input that Spring MVC or PostgreSQL would otherwise fail on with a 500 or a
 * misleading 409: a query parameter holding NUL (U+0000, which text cannot store) or bad percent-encoding, and a
 * Content-Type that is not one media type (Spring throws on {@code *}{@code /*}).
 */
@Component
@Order(Ordered.HIGHEST_PRECEDENCE)
class RequestInputFilter extends OncePerRequestFilter {

    private final JsonMapper json;

    RequestInputFilter(JsonMapper json) {
        this.json = json;
    }

    @Override
    protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
            throws ServletException, IOException {
        String query = request.getQueryString();
        if (query != null) {
            for (String pair : query.split("&")) {
                String[] nameAndValue = pair.split("=", 2);
                String name = decode(nameAndValue[0]);
                String value = nameAndValue.length > 1 ? decode(nameAndValue[1]) : "";
                if (name == null || value == null) {
                    refuse(request, response, HttpStatus.BAD_REQUEST, "parameter", name == null ? nameAndValue[0] : name,
                            "The query string is not valid percent-encoding near '" + pair + "'.");
                    return;
                }
                if (name.indexOf('\0') >= 0 || value.indexOf('\0') >= 0) {
                    refuse(request, response, HttpStatus.BAD_REQUEST, "parameter", name.replace("\0", ""),
                            name.replace("\0", "") + " contains a NUL character (U+0000), which text cannot hold.");
                    return;
                }
            }
        }
        String contentType = request.getContentType();
        if (contentType != null && !isOneMediaType(contentType)) {
            refuse(request, response, HttpStatus.UNSUPPORTED_MEDIA_TYPE, "parameter", HttpHeaders.CONTENT_TYPE,
                    "Content-Type must name one media type, such as application/json.");
            return;
        }
        chain.doFilter(request, response);
    }

    private static boolean isOneMediaType(String contentType) {
        try {
            MediaType type = MediaType.parseMediaType(contentType);
            return !type.isWildcardType() && !type.isWildcardSubtype();
        } catch (InvalidMediaTypeException e) {
            return false;
        }
    }

    private static String decode(String text) {
        try {
            return URLDecoder.decode(text, StandardCharsets.UTF_8);
        } catch (IllegalArgumentException e) {
            return null;
        }
    }

    private void refuse(HttpServletRequest request, HttpServletResponse response, HttpStatus status, String property,
                        String name, String detail) throws IOException {
        Map<String, Object> problem = new LinkedHashMap<>();
        problem.put("type", "about:blank");
        problem.put("title", status.getReasonPhrase());
        problem.put("status", status.value());
        problem.put("detail", detail);
        problem.put("instance", request.getRequestURI());
        problem.put(property, name);
        response.setStatus(status.value());
        response.setContentType(MediaType.APPLICATION_PROBLEM_JSON_VALUE);
        response.setCharacterEncoding(StandardCharsets.UTF_8.name());
        response.getWriter().write(json.writeValueAsString(problem));
    }
}
