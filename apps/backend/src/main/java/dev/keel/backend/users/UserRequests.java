package dev.keel.backend.users;

import dev.keel.persistence.users.User;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.Size;

/** Request bodies of /api/users. Formats are the database's CHECKs; these only catch the obvious early. */
public final class UserRequests {

    private UserRequests() {
    }

    public record CreateUser(
            @NotBlank @Size(max = User.EMAIL_MAX) String email,
            @NotBlank @Size(max = User.DISPLAY_NAME_MAX) String displayName) {
    }

    /** Only the fields present change; {@code version} is the version read, unless If-Match carries it. */
    public record UpdateUser(
            @Size(min = 1, max = User.EMAIL_MAX) String email,
            @Size(min = 1, max = User.DISPLAY_NAME_MAX) String displayName,
            Long version) {
    }
}
