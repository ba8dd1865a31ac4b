package dev.keel.backend.errors;

/** The request contradicts the state of the data; answered with 409. */
public class ConflictException extends RuntimeException {

    public ConflictException(String message) {
        super(message);
    }
}
