package dev.keel.backend.fuzz;

import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.Set;

/**
 * One request drawn from the OpenAPI document: what the generator meant ({@code kind}), what goes on the wire,
 * and the names of the parameters and fields it carries, one of which a 4xx answer must name.
 */
record GeneratedRequest(String kind, String method, String path, String query, Map<String, String> headers, byte[] body,
                        Set<String> names) {

    String target() {
        return path + (query.isEmpty() ? "" : "?" + query);
    }

    /** The request as a failure message shows it: printable, and short enough to read. */
    String describe() {
        String text = body == null ? "" : " " + new String(body, StandardCharsets.UTF_8);
        String line = kind + ": " + method + " " + target() + (headers.isEmpty() ? "" : " " + headers) + text;
        StringBuilder printable = new StringBuilder();
        line.codePoints().limit(300).forEach(c -> printable.append(c < 0x20 || c == 0x7f ? String.format("\\u%04x", c) : Character.toString(c)));
        return printable + (line.length() > 300 ? "… (" + line.length() + " characters)" : "");
    }
}
