package dev.keel.backend.users;

import dev.keel.persistence.users.User;
import io.swagger.v3.oas.annotations.media.Schema;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.Size;

/** Request bodies of /api/users. Formats are the database's CHECKs; these only catch the obvious early. */
public final class UserRequests {

    private UserRequests() {
    }

    public record CreateUser(
            @Schema(example = "ada@example.com") @NotBlank @Size(max = User.EMAIL_MAX) String email,
            @Schema(example = "Ada Lovelace") @NotBlank @Size(max = User.DISPLAY_NAME_MAX) String displayName) {
    }

    /** Only the fields present change; {@code version} is the version read, unless If-Match carries it. */
    public record UpdateUser(
            @Schema(example = "ada@example.com") @Size(min = 1, max = User.EMAIL_MAX) String email,
            @Schema(example = "Ada Lovelace") @Size(min = 1, max = User.DISPLAY_NAME_MAX) String displayName,
            Long version) {
    }
}
