package dev.keel.backend.web;

import org.springframework.http.HttpStatus;
import org.springframework.web.server.ResponseStatusException;

/** A request refused because of one parameter: the problem body names it. */
final class RejectedParameter {

    private RejectedParameter() {
    }

    static ResponseStatusException of(HttpStatus status, String parameter, String detail) {
        ResponseStatusException rejected = new ResponseStatusException(status, detail);
        rejected.getBody().setDetail(detail);
        rejected.getBody().setProperty("parameter", parameter);
        return rejected;
    }
}
