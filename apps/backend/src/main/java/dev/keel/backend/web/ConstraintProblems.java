package dev.keel.backend.web;

import java.util.Map;
import java.util.Optional;
import org.postgresql.util.PSQLException;
import org.postgresql.util.ServerErrorMessage;
import org.springframework.http.HttpStatus;
import org.springframework.http.ProblemDetail;

/**
 * Turns a violated database constraint into the HTTP answer it means, by the constraint's name
 * (the changelog names every constraint). The database stays the one place where these rules live.
 */
final class ConstraintProblems {

    private record Rule(HttpStatus status, String field, String detail) {
    }

    private static final Map<String, Rule> RULES = Map.ofEntries(
            Map.entry("uq_users__email", new Rule(HttpStatus.CONFLICT, "email",
                    "A user with this email already exists (emails are compared regardless of case).")),
            Map.entry("uq_teams__slug", new Rule(HttpStatus.CONFLICT, "slug", "A team with this slug already exists.")),
            Map.entry("ck_users__email_format", new Rule(HttpStatus.BAD_REQUEST, "email",
                    "email must contain exactly one @ and no spaces, like ada@example.com.")),
            Map.entry("ck_users__email_length", new Rule(HttpStatus.BAD_REQUEST, "email", "email must be 3 to 320 characters long.")),
            Map.entry("ck_users__display_name_length", new Rule(HttpStatus.BAD_REQUEST, "displayName",
                    "displayName must be 1 to 100 characters long.")),
            Map.entry("ck_teams__slug_format", new Rule(HttpStatus.BAD_REQUEST, "slug",
                    "slug must be lower-case letters and digits, in words joined by single hyphens, like core-platform.")),
            Map.entry("ck_teams__slug_length", new Rule(HttpStatus.BAD_REQUEST, "slug", "slug must be 2 to 63 characters long.")),
            Map.entry("ck_teams__name_length", new Rule(HttpStatus.BAD_REQUEST, "name", "name must be 1 to 100 characters long.")),
            Map.entry("ck_team_memberships__role", new Rule(HttpStatus.BAD_REQUEST, "role", "role must be owner, admin or member.")));

    private static final Map<String, String> MISSING_PARENT = Map.of(
            "fk_team_memberships__user_id", "The user does not exist.",
            "fk_team_memberships__team_id", "The team does not exist.");

    private ConstraintProblems() {
    }

    static ProblemDetail of(Throwable failure) {
        ServerErrorMessage error = serverError(failure);
        String constraint = error == null ? null : error.getConstraint();
        ProblemDetail problem = forConstraint(constraint, error);
        if (constraint != null) {
            problem.setProperty("constraint", constraint);
        }
        return problem;
    }

    private static ProblemDetail forConstraint(String constraint, ServerErrorMessage error) {
        Rule rule = constraint == null ? null : RULES.get(constraint);
        if (rule != null) {
            ProblemDetail problem = ProblemDetail.forStatusAndDetail(rule.status(), rule.detail());
            problem.setProperty("field", rule.field());
            return problem;
        }
        if (constraint != null && constraint.startsWith("fk_")) {
            // Inserting a row whose parent is missing. Deleting a parent that still has children is a
            // different answer (409), which the service that deletes gives, as PostgreSQL reports both alike.
            ProblemDetail problem = ProblemDetail.forStatusAndDetail(HttpStatus.NOT_FOUND,
                    MISSING_PARENT.getOrDefault(constraint, "A referenced row does not exist."));
            columnOf(constraint).ifPresent(column -> problem.setProperty("parameter", camelCase(column)));
            return problem;
        }
        if (error != null && "23502".equals(error.getSQLState())) {
            String field = camelCase(error.getColumn());
            ProblemDetail problem = ProblemDetail.forStatusAndDetail(HttpStatus.BAD_REQUEST, field + " is required.");
            problem.setProperty("field", field);
            return problem;
        }
        if (error != null && error.getSQLState() != null && error.getSQLState().startsWith("22")) {
            // Class 22, data exception: a value the column cannot hold. The request is wrong, not in conflict.
            return ProblemDetail.forStatusAndDetail(HttpStatus.BAD_REQUEST, "A value in the request cannot be stored: "
                    + error.getMessage() + ".");
        }
        ProblemDetail problem = ProblemDetail.forStatusAndDetail(HttpStatus.CONFLICT,
                "The request conflicts with a database rule" + (constraint == null ? "." : " (" + constraint + ")."));
        if (constraint != null && constraint.startsWith("uq_")) {
            columnOf(constraint).ifPresent(column -> problem.setProperty("field", camelCase(column)));
        }
        return problem;
    }

    /** Keel names constraints {@code <kind>_<table>__<columns>}; the part after the double underscore. */
    private static Optional<String> columnOf(String constraint) {
        int at = constraint.indexOf("__");
        return at < 0 ? Optional.empty() : Optional.of(constraint.substring(at + 2));
    }

    /** user_id -> userId: the request's spelling of a column. */
    static String camelCase(String column) {
        StringBuilder out = new StringBuilder();
        boolean upper = false;
        for (char c : String.valueOf(column).toCharArray()) {
            if (c == '_') {
                upper = !out.isEmpty();
            } else {
                out.append(upper ? Character.toUpperCase(c) : c);
                upper = false;
            }
        }
        return out.toString();
    }

    private static ServerErrorMessage serverError(Throwable failure) {
        for (Throwable cause = failure; cause != null; cause = cause.getCause()) {
            if (cause instanceof PSQLException psql && psql.getServerErrorMessage() != null) {
                return psql.getServerErrorMessage();
            }
        }
        return null;
    }
}
