package dev.keel.backend.teams;

import dev.keel.backend.users.UserSummary;
import java.time.Instant;

public record MemberResponse(UserSummary user, String role, Instant joinedAt) {
}
