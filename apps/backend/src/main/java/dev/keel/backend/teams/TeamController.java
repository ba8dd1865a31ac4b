package dev.keel.backend.teams;

import dev.keel.backend.web.PageRequests;
import dev.keel.backend.web.PageResponse;
import dev.keel.backend.web.Versions;
import jakarta.validation.Valid;
import java.net.URI;
import java.util.List;
import org.springdoc.core.annotations.ParameterObject;
import org.springframework.data.domain.Pageable;
import org.springframework.data.domain.Sort;
import org.springframework.data.web.PageableDefault;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PatchMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.PutMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestHeader;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

@RestController
@RequestMapping("/api/teams")
class TeamController {

    private final TeamService teams;
    private final MembershipService memberships;

    TeamController(TeamService teams, MembershipService memberships) {
        this.teams = teams;
        this.memberships = memberships;
    }

    @PostMapping
    ResponseEntity<TeamResponse> create(@Valid @RequestBody TeamRequests.CreateTeam request) {
        TeamResponse created = teams.create(request);
        return ResponseEntity.created(URI.create("/api/teams/" + created.id())).eTag(Versions.etag(created.version())).body(created);
    }

    @GetMapping("/{id}")
    ResponseEntity<TeamResponse> get(@PathVariable long id) {
        TeamResponse team = teams.get(id);
        return ResponseEntity.ok().eTag(Versions.etag(team.version())).body(team);
    }

    @GetMapping
    PageResponse<TeamResponse> list(@RequestParam(required = false) String slugPrefix,
                                    @ParameterObject @PageableDefault(size = 20, sort = "id", direction = Sort.Direction.ASC) Pageable pageable) {
        return PageResponse.of(teams.list(slugPrefix, PageRequests.checked(pageable)));
    }

    @PatchMapping("/{id}")
    ResponseEntity<TeamResponse> update(@PathVariable long id, @Valid @RequestBody TeamRequests.UpdateTeam request,
                                        @RequestHeader(name = HttpHeaders.IF_MATCH, required = false) String ifMatch) {
        TeamResponse team = teams.update(id, request, Versions.expected(ifMatch, request.version()));
        return ResponseEntity.ok().eTag(Versions.etag(team.version())).body(team);
    }

    @DeleteMapping("/{id}")
    ResponseEntity<Void> delete(@PathVariable long id) {
        teams.delete(id);
        return ResponseEntity.noContent().build();
    }

    @GetMapping("/{id}/members")
    List<MemberResponse> members(@PathVariable long id) {
        return memberships.list(id);
    }

    @PutMapping("/{id}/members/{userId}")
    ResponseEntity<MemberResponse> putMember(@PathVariable long id, @PathVariable long userId,
                                             @Valid @RequestBody TeamRequests.PutMember request) {
        MembershipService.PutResult result = memberships.put(id, userId, request.role());
        return ResponseEntity.status(result.created() ? HttpStatus.CREATED : HttpStatus.OK).body(result.member());
    }

    @DeleteMapping("/{id}/members/{userId}")
    ResponseEntity<Void> removeMember(@PathVariable long id, @PathVariable long userId) {
        memberships.remove(id, userId);
        return ResponseEntity.noContent().build();
    }
}
