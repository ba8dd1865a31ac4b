package dev.keel.persistence.guard;

/** A setting would let the ORM change the schema; the application refuses to start. */
public class AutoDdlException extends RuntimeException {

    public AutoDdlException(String message) {
        super(message);
    }
}
