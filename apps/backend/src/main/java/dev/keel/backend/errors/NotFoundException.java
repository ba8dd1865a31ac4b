package dev.keel.backend.errors;

/** The resource a request names does not exist; answered with 404. */
public class NotFoundException extends RuntimeException {

    private final Object id;

    public NotFoundException(String what, Object id) {
        super(what + " " + id + " does not exist");
        this.id = id;
    }

    /** The id that named nothing; the web layer answers with the request parameter that carried it. */
    public Object id() {
        return id;
    }
}
