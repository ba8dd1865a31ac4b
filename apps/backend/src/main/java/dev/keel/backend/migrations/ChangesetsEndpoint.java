package dev.keel.backend.migrations;

import java.util.List;
import org.springframework.boot.actuate.endpoint.annotation.Endpoint;
import org.springframework.boot.actuate.endpoint.annotation.ReadOperation;

/** {@code /actuator/changesets}: the changesets applied to the database, in the order they ran. */
@Endpoint(id = "changesets")
public class ChangesetsEndpoint {

    private final Changelog changelog;

    public ChangesetsEndpoint(Changelog changelog) {
        this.changelog = changelog;
    }

    @ReadOperation
    public List<Changelog.Applied> changesets() {
        return changelog.applied();
    }
}
