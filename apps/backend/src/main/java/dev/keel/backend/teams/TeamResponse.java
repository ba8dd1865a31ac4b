package dev.keel.backend.teams;

import java.time.Instant;

public record TeamResponse(Long id, String slug, String name, Instant createdAt, Instant updatedAt, long version) {
}
