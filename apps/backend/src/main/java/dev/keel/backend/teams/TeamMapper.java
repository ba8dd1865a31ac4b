package dev.keel.backend.teams;

import dev.keel.backend.users.UserMapper;
import dev.keel.persistence.teams.Team;
import dev.keel.persistence.teams.TeamMembership;
import dev.keel.persistence.teams.TeamRole;
import org.mapstruct.BeanMapping;
import org.mapstruct.Mapper;
import org.mapstruct.Mapping;
import org.mapstruct.MappingTarget;
import org.mapstruct.NullValuePropertyMappingStrategy;

@Mapper(uses = UserMapper.class)
public interface TeamMapper {

    TeamResponse toTeamResponse(Team team);

    default Team toTeam(TeamRequests.CreateTeam request) {
        return new Team(request.slug(), request.name());
    }

    @BeanMapping(nullValuePropertyMappingStrategy = NullValuePropertyMappingStrategy.IGNORE, ignoreUnmappedSourceProperties = "version")
    void updateTeam(TeamRequests.UpdateTeam request, @MappingTarget Team team);

    @Mapping(target = "joinedAt", source = "createdAt")
    MemberResponse toMemberResponse(TeamMembership membership);

    default String toRoleValue(TeamRole role) {
        return role.value();
    }
}
