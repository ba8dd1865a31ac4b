package dev.keel.backend.web;

import jakarta.servlet.http.HttpServletRequest;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.ProblemDetail;

/**
 * Optimistic locking over HTTP: a response carries the row's version as its ETag, and an update must
 * send the version it read, as {@code If-Match} or as a {@code version} field.
 */
public final class Versions {

    private Versions() {
    }

    public static String etag(long version) {
        return "\"" + version + "\"";
    }

    /**
     * The version an update claims to have read; 428 when it names none, 400 when they disagree. {@code If-Match: *}
     * (any version) names none: every update here says which version it read.
     */
    public static long expected(String ifMatch, Long versionField) {
        Long fromHeader = ifMatch == null ? null : parse(ifMatch);
        if (fromHeader == null && versionField == null) {
            throw RejectedParameter.of(HttpStatus.PRECONDITION_REQUIRED, HttpHeaders.IF_MATCH,
                    "Send the version you read, as an If-Match header with the ETag or as a version field.");
        }
        if (fromHeader != null && versionField != null && !fromHeader.equals(versionField)) {
            throw RejectedParameter.of(HttpStatus.BAD_REQUEST, HttpHeaders.IF_MATCH, "If-Match and the version field name different versions.");
        }
        return fromHeader != null ? fromHeader : versionField;
    }

    /** Names where the stale or missing version came from: the If-Match header, else the version field. */
    static ProblemDetail atFault(ProblemDetail problem, HttpServletRequest request) {
        if (request.getHeader(HttpHeaders.IF_MATCH) != null) {
            problem.setProperty("parameter", HttpHeaders.IF_MATCH);
        } else {
            problem.setProperty("field", "version");
        }
        return problem;
    }

    private static Long parse(String ifMatch) {
        String value = ifMatch.strip();
        if (value.equals("*")) {
            return null;
        }
        if (value.startsWith("W/")) {
            value = value.substring(2);
        }
        value = value.replace("\"", "");
        try {
            return Long.parseLong(value);
        } catch (NumberFormatException e) {
            throw RejectedParameter.of(HttpStatus.BAD_REQUEST, HttpHeaders.IF_MATCH, "If-Match must be an ETag this API returned, such as \"3\".");
        }
    }
}
