package dev.keel.backend.teams;

import dev.keel.backend.errors.NotFoundException;
import dev.keel.backend.errors.StaleVersionException;
import dev.keel.persistence.teams.Team;
import dev.keel.persistence.teams.TeamRepository;
import org.springframework.data.domain.Page;
import org.springframework.data.domain.Pageable;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;

/** Each write is one transaction, flushed inside it, so a violated constraint rolls it back; a read of one row runs without one. */
@Service
public class TeamService {

    private final TeamRepository teams;
    private final TeamMapper mapper;

    TeamService(TeamRepository teams, TeamMapper mapper) {
        this.teams = teams;
        this.mapper = mapper;
    }

    @Transactional
    public TeamResponse create(TeamRequests.CreateTeam request) {
        return mapper.toTeamResponse(teams.saveAndFlush(mapper.toTeam(request)));
    }

    /** One SELECT needs no transaction of its own: it reads one consistent snapshot by itself. */
    public TeamResponse get(long id) {
        return mapper.toTeamResponse(teams.findOneById(id).orElseThrow(() -> new NotFoundException("team", id)));
    }

    @Transactional(readOnly = true)
    public Page<TeamResponse> list(String slugPrefix, Pageable pageable) {
        Page<Team> page = slugPrefix == null || slugPrefix.isBlank()
                ? teams.findAll(pageable)
                : teams.findBySlugStartingWith(slugPrefix, pageable);
        return page.map(mapper::toTeamResponse);
    }

    @Transactional
    public TeamResponse update(long id, TeamRequests.UpdateTeam request, long expectedVersion) {
        Team team = find(id);
        StaleVersionException.requireCurrent(expectedVersion, team.getVersion());
        mapper.updateTeam(request, team);
        teams.flush();
        return mapper.toTeamResponse(team);
    }

    /** Its memberships go with it (ON DELETE CASCADE). */
    @Transactional
    public void delete(long id) {
        teams.delete(find(id));
        teams.flush();
    }

    Team find(long id) {
        return teams.findById(id).orElseThrow(() -> new NotFoundException("team", id));
    }
}
