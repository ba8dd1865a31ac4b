package dev.keel.backend.teams;

import dev.keel.persistence.teams.Team;
import io.swagger.v3.oas.annotations.media.Schema;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Pattern;
import jakarta.validation.constraints.Size;

/** Request bodies of /api/teams. The slug's format is the database's CHECK, answered as 400 when violated. */
public final class TeamRequests {

    private TeamRequests() {
    }

    public record CreateTeam(
            @Schema(example = "core-platform") @NotBlank @Size(max = Team.SLUG_MAX) String slug,
            @Schema(example = "Core Platform") @NotBlank @Size(max = Team.NAME_MAX) String name) {
    }

    /** Only the fields present change; {@code version} is the version read, unless If-Match carries it. */
    public record UpdateTeam(
            @Schema(example = "core-platform") @Size(min = 1, max = Team.SLUG_MAX) String slug,
            @Schema(example = "Core Platform") @Size(min = 1, max = Team.NAME_MAX) String name,
            Long version) {
    }

    public record PutMember(@NotNull @Pattern(regexp = "owner|admin|member", message = "role must be owner, admin or member") String role) {
    }
}
