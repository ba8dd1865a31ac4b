package dev.keel.backend.teams;

import dev.keel.backend.errors.NotFoundException;
import dev.keel.persistence.teams.Team;
import dev.keel.persistence.teams.TeamMembership;
import dev.keel.persistence.teams.TeamMembershipRepository;
import dev.keel.persistence.teams.TeamRepository;
import dev.keel.persistence.teams.TeamRole;
import dev.keel.persistence.users.UserRepository;
import java.util.List;
import java.util.Locale;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;

@Service
@Transactional
public class MembershipService {

    /** What a PUT did, so the controller can answer 201 or 200. */
    public record PutResult(MemberResponse member, boolean created) {
    }

    private final TeamRepository teams;
    private final UserRepository users;
    private final TeamMembershipRepository memberships;
    private final TeamMapper mapper;

    MembershipService(TeamRepository teams, UserRepository users, TeamMembershipRepository memberships, TeamMapper mapper) {
        this.teams = teams;
        this.users = users;
        this.memberships = memberships;
        this.mapper = mapper;
    }

    /** Adds the user to the team, or changes the role; a user that does not exist is the foreign key's 404. */
    public PutResult put(long teamId, long userId, String role) {
        Team team = teams.findById(teamId).orElseThrow(() -> new NotFoundException("team", teamId));
        TeamRole teamRole = TeamRole.valueOf(role.toUpperCase(Locale.ROOT));
        TeamMembership existing = memberships.findById(new TeamMembership.Id(teamId, userId)).orElse(null);
        if (existing != null) {
            existing.setRole(teamRole);
            memberships.flush();
            return new PutResult(mapper.toMemberResponse(existing), false);
        }
        TeamMembership created = memberships.saveAndFlush(new TeamMembership(team, users.getReferenceById(userId), teamRole));
        return new PutResult(mapper.toMemberResponse(created), true);
    }

    public void remove(long teamId, long userId) {
        TeamMembership.Id id = new TeamMembership.Id(teamId, userId);
        TeamMembership membership = memberships.findById(id)
                .orElseThrow(() -> new NotFoundException("membership of user " + userId + " in team", teamId));
        memberships.delete(membership);
        memberships.flush();
    }

    @Transactional(readOnly = true)
    public List<MemberResponse> list(long teamId) {
        if (!teams.existsById(teamId)) {
            throw new NotFoundException("team", teamId);
        }
        return memberships.findByTeamIdWithUsers(teamId).stream().map(mapper::toMemberResponse).toList();
    }
}
