package dev.keel.backend.web;

import org.springframework.http.HttpStatus;
import org.springframework.http.ProblemDetail;
import org.springframework.http.converter.HttpMessageNotReadableException;
import tools.jackson.core.JacksonException;
import tools.jackson.core.exc.StreamReadException;
import tools.jackson.databind.exc.UnrecognizedPropertyException;

/**
 * A body Jackson could not read, told in the API's terms: the JSON path of the field at fault when there is one,
 * else the body itself; never a Java type name.
 */
final class UnreadableBodies {

    private UnreadableBodies() {
    }

    static ProblemDetail problem(HttpMessageNotReadableException e) {
        JacksonException jackson = jacksonCause(e);
        String field = jackson == null ? "" : path(jackson);
        ProblemDetail problem;
        if (jackson instanceof UnrecognizedPropertyException) {
            problem = ProblemDetail.forStatusAndDetail(HttpStatus.BAD_REQUEST,
                    "The body has a field this endpoint does not take: " + field + ". Check its spelling.");
        } else if (jackson == null || jackson instanceof StreamReadException || field.isEmpty()) {
            problem = ProblemDetail.forStatusAndDetail(HttpStatus.BAD_REQUEST, jackson instanceof StreamReadException read
                    ? "The request body is not valid JSON: " + withoutLocation(read.getOriginalMessage()) + "."
                    : "The request body must be a JSON object of the documented shape.");
            problem.setProperty("parameter", "body");
            return problem;
        } else {
            problem = ProblemDetail.forStatusAndDetail(HttpStatus.BAD_REQUEST, field + " " + reason(jackson) + ".");
        }
        problem.setProperty("field", field);
        return problem;
    }

    private static String reason(JacksonException e) {
        String message = String.valueOf(e.getOriginalMessage());
        if (message.contains("NUL")) {
            return "contains a NUL character (U+0000), which text cannot hold";
        }
        return "has a value of the wrong type or format";
    }

    private static String path(JacksonException e) {
        StringBuilder path = new StringBuilder();
        for (JacksonException.Reference reference : e.getPath()) {
            if (reference.getPropertyName() != null) {
                path.append(path.isEmpty() ? "" : ".").append(reference.getPropertyName());
            } else if (reference.getIndex() >= 0) {
                path.append('[').append(reference.getIndex()).append(']');
            }
        }
        return path.toString();
    }

    private static JacksonException jacksonCause(Throwable e) {
        for (Throwable cause = e; cause != null; cause = cause.getCause()) {
            if (cause instanceof JacksonException jackson) {
                return jackson;
            }
        }
        return null;
    }

    /** Jackson's message without where in the input it happened, which is noise in an answer. */
    private static String withoutLocation(String message) {
        String text = message == null ? "unreadable" : message.lines().findFirst().orElse("unreadable");
        int location = text.indexOf(" (start marker at");
        return location < 0 ? text : text.substring(0, location);
    }
}
