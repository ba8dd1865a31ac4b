package dev.keel.persistence.teams;

import java.util.List;
import org.springframework.data.jpa.repository.JpaRepository;
import org.springframework.data.jpa.repository.Query;

public interface TeamMembershipRepository extends JpaRepository<TeamMembership, TeamMembership.Id> {

    /** The members of a team with their users, in one statement. */
    @Query("select m from TeamMembership m join fetch m.user where m.team.id = :teamId order by m.createdAt, m.user.id")
    List<TeamMembership> findByTeamIdWithUsers(Long teamId);
}
