package dev.keel.backend.web;

/** The request contradicts the state of the data; answered with 409. */
public class ConflictException extends RuntimeException {

    public ConflictException(String message) {
        super(message);
    }
}
