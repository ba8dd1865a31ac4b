package dev.keel.backend.users;

/** A user as other resources show it. */
public record UserSummary(Long id, String email, String displayName) {
}
