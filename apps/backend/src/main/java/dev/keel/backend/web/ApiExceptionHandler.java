package dev.keel.backend.web;

import dev.keel.backend.availability.DatabaseAvailability;
import dev.keel.backend.errors.ConflictException;
import dev.keel.backend.errors.NotFoundException;
import dev.keel.backend.errors.StaleVersionException;
import jakarta.servlet.http.HttpServletRequest;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import org.springframework.beans.TypeMismatchException;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.dao.DataAccessException;
import org.springframework.dao.DataAccessResourceFailureException;
import org.springframework.dao.DataIntegrityViolationException;
import org.springframework.dao.OptimisticLockingFailureException;
import org.springframework.dao.TransientDataAccessResourceException;
import org.springframework.data.core.PropertyReferenceException;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.HttpStatusCode;
import org.springframework.http.ProblemDetail;
import org.springframework.http.ResponseEntity;
import org.springframework.http.converter.HttpMessageNotReadableException;
import org.springframework.transaction.CannotCreateTransactionException;
import org.springframework.transaction.TransactionException;
import org.springframework.web.HttpMediaTypeNotSupportedException;
import org.springframework.web.bind.MethodArgumentNotValidException;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.RestControllerAdvice;
import org.springframework.web.context.request.WebRequest;
import org.springframework.web.servlet.HandlerMapping;
import org.springframework.web.servlet.mvc.method.annotation.ResponseEntityExceptionHandler;
import org.springframework.web.servlet.resource.NoResourceFoundException;

/**
 * Every error as an RFC 9457 problem-details body; a client's mistake is never a 500. A 4xx names what is at fault:
 * {@code parameter} (path, query or header), {@code field} (in the JSON body), or {@code errors[].field}.
 */
@RestControllerAdvice
class ApiExceptionHandler extends ResponseEntityExceptionHandler {

    private final DatabaseAvailability availability;
    private final String apiDescription;

    ApiExceptionHandler(DatabaseAvailability availability, @Value("${keel.introspection.enabled:false}") boolean introspection) {
        this.availability = availability;
        this.apiDescription = introspection ? " The API is described at /v3/api-docs." : "";
    }

    /** The database cannot be reached, or the pool has no connection to spare: retry shortly, nothing was done. */
    @ExceptionHandler({CannotCreateTransactionException.class, DataAccessResourceFailureException.class,
            TransientDataAccessResourceException.class})
    ResponseEntity<ProblemDetail> databaseUnavailable(Exception e) {
        return unavailable(availability.failed(e)
                ? "The database is unreachable; nothing was changed."
                : "The service has no database connection to spare right now; nothing was changed.");
    }

    /**
     * Any other failure of the database or of a transaction: 503 when the database turns out to be away (a rollback
     * that fails after the connection broke lands here), else a 500 problem logged once with its stack trace, as a bug.
     */
    @ExceptionHandler({DataAccessException.class, TransactionException.class})
    ResponseEntity<ProblemDetail> databaseFailure(Exception e) {
        if (availability.failed(e)) {
            return unavailable("The database is unreachable; nothing was changed.");
        }
        logger.error("Unexpected database failure", e);
        return ResponseEntity.internalServerError()
                .body(ProblemDetail.forStatusAndDetail(HttpStatus.INTERNAL_SERVER_ERROR, "The service failed; nothing was changed."));
    }

    private static ResponseEntity<ProblemDetail> unavailable(String detail) {
        long seconds = DatabaseAvailability.RETRY_AFTER.toSeconds();
        return ResponseEntity.status(HttpStatus.SERVICE_UNAVAILABLE).header(HttpHeaders.RETRY_AFTER, String.valueOf(seconds))
                .body(ProblemDetail.forStatusAndDetail(HttpStatus.SERVICE_UNAVAILABLE, detail + " Retry after " + seconds + " seconds."));
    }

    @ExceptionHandler(NotFoundException.class)
    ProblemDetail notFound(NotFoundException e, HttpServletRequest request) {
        ProblemDetail problem = ProblemDetail.forStatusAndDetail(HttpStatus.NOT_FOUND, e.getMessage());
        Map<String, String> path = pathVariables(request);
        path.entrySet().stream().filter(variable -> variable.getValue().equals(String.valueOf(e.id()))).findFirst()
                .or(() -> path.entrySet().stream().findFirst())
                .ifPresent(variable -> problem.setProperty("parameter", variable.getKey()));
        return problem;
    }

    @ExceptionHandler(ConflictException.class)
    ProblemDetail conflict(ConflictException e, HttpServletRequest request) {
        ProblemDetail problem = ProblemDetail.forStatusAndDetail(HttpStatus.CONFLICT, e.getMessage());
        pathVariables(request).keySet().stream().findFirst().ifPresent(name -> problem.setProperty("parameter", name));
        return problem;
    }

    @ExceptionHandler(StaleVersionException.class)
    ProblemDetail staleVersion(StaleVersionException e, HttpServletRequest request) {
        return Versions.atFault(ProblemDetail.forStatusAndDetail(HttpStatus.PRECONDITION_FAILED, e.getMessage()), request);
    }

    @ExceptionHandler(DataIntegrityViolationException.class)
    ProblemDetail constraintViolated(DataIntegrityViolationException e) {
        return ConstraintProblems.of(e);
    }

    /** The version the request named was current when it was read, and another request changed it before this one wrote. */
    @ExceptionHandler(OptimisticLockingFailureException.class)
    ProblemDetail concurrentUpdate(OptimisticLockingFailureException e, HttpServletRequest request) {
        return Versions.atFault(ProblemDetail.forStatusAndDetail(HttpStatus.PRECONDITION_FAILED,
                "Someone else changed this resource at the same time; read it again and retry."), request);
    }

    @ExceptionHandler(PropertyReferenceException.class)
    ProblemDetail unknownSortProperty(PropertyReferenceException e) {
        ProblemDetail problem = ProblemDetail.forStatusAndDetail(HttpStatus.BAD_REQUEST, "Cannot sort by '" + e.getPropertyName() + "'.");
        problem.setProperty("parameter", "sort");
        return problem;
    }

    @Override
    protected ResponseEntity<Object> handleMethodArgumentNotValid(MethodArgumentNotValidException e, HttpHeaders headers,
                                                                  HttpStatusCode status, WebRequest request) {
        ProblemDetail problem = ProblemDetail.forStatusAndDetail(HttpStatus.BAD_REQUEST, "The request has invalid fields.");
        List<Map<String, String>> errors = e.getBindingResult().getFieldErrors().stream()
                .map(error -> Map.of("field", error.getField(), "message", String.valueOf(error.getDefaultMessage())))
                .toList();
        problem.setProperty("errors", errors);
        return handleExceptionInternal(e, problem, headers, HttpStatus.BAD_REQUEST, request);
    }

    @Override
    protected ResponseEntity<Object> handleHttpMessageNotReadable(HttpMessageNotReadableException e, HttpHeaders headers,
                                                                  HttpStatusCode status, WebRequest request) {
        return handleExceptionInternal(e, UnreadableBodies.problem(e), headers, HttpStatus.BAD_REQUEST, request);
    }

    @Override
    protected ResponseEntity<Object> handleTypeMismatch(TypeMismatchException e, HttpHeaders headers, HttpStatusCode status,
                                                        WebRequest request) {
        String name = Objects.requireNonNullElse(e.getPropertyName(), "parameter");
        ProblemDetail problem = ProblemDetail.forStatusAndDetail(HttpStatus.BAD_REQUEST,
                name + " must be " + expected(e.getRequiredType()) + ", not '" + e.getValue() + "'.");
        problem.setProperty("parameter", name);
        return handleExceptionInternal(e, problem, headers, HttpStatus.BAD_REQUEST, request);
    }

    @Override
    protected ResponseEntity<Object> handleHttpMediaTypeNotSupported(HttpMediaTypeNotSupportedException e, HttpHeaders headers,
                                                                     HttpStatusCode status, WebRequest request) {
        e.getBody().setProperty("parameter", HttpHeaders.CONTENT_TYPE);
        return super.handleHttpMediaTypeNotSupported(e, headers, status, request);
    }

    @Override
    protected ResponseEntity<Object> handleNoResourceFoundException(NoResourceFoundException e, HttpHeaders headers,
                                                                    HttpStatusCode status, WebRequest request) {
        ProblemDetail problem = ProblemDetail.forStatusAndDetail(HttpStatus.NOT_FOUND,
                "No endpoint " + e.getHttpMethod() + " /" + e.getResourcePath() + "." + apiDescription);
        return handleExceptionInternal(e, problem, headers, HttpStatus.NOT_FOUND, request);
    }

    private static String expected(Class<?> type) {
        if (type == long.class || type == Long.class || type == int.class || type == Integer.class) {
            return "a whole number in range";
        }
        return "a valid " + (type == null ? "value" : type.getSimpleName());
    }

    @SuppressWarnings("unchecked")
    private static Map<String, String> pathVariables(HttpServletRequest request) {
        Object variables = request.getAttribute(HandlerMapping.URI_TEMPLATE_VARIABLES_ATTRIBUTE);
        return variables instanceof Map<?, ?> map ? (Map<String, String>) map : Map.of();
    }
}
