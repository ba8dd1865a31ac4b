package dev.keel.persistence.teams;

import dev.keel.persistence.users.User;
import jakarta.persistence.Column;
import jakarta.persistence.Convert;
import jakarta.persistence.Embeddable;
import jakarta.persistence.EmbeddedId;
import jakarta.persistence.Entity;
import jakarta.persistence.FetchType;
import jakarta.persistence.JoinColumn;
import jakarta.persistence.ManyToOne;
import jakarta.persistence.MapsId;
import jakarta.persistence.Table;
import java.io.Serializable;
import java.time.Instant;
import org.hibernate.annotations.CreationTimestamp;

/** A row of {@code team_memberships}: a user's role in a team. */
@Entity
@Table(name = "team_memberships")
public class TeamMembership {

    /** The composite primary key (team_id, user_id). */
    @Embeddable
    public record Id(@Column(name = "team_id") Long teamId, @Column(name = "user_id") Long userId) implements Serializable {
    }

    @EmbeddedId
    private Id id;

    @MapsId("teamId")
    @ManyToOne(fetch = FetchType.LAZY, optional = false)
    @JoinColumn(name = "team_id", nullable = false)
    private Team team;

    @MapsId("userId")
    @ManyToOne(fetch = FetchType.LAZY, optional = false)
    @JoinColumn(name = "user_id", nullable = false)
    private User user;

    @Convert(converter = TeamRole.ColumnConverter.class)
    // text, like every string column; ck_team_memberships__role limits it to the three roles.
    @Column(name = "role", nullable = false, columnDefinition = "text")
    private TeamRole role;

    @CreationTimestamp
    @Column(name = "created_at", nullable = false, updatable = false)
    private Instant createdAt;

    protected TeamMembership() {
    }

    public TeamMembership(Team team, User user, TeamRole role) {
        this.id = new Id(team.getId(), user.getId());
        this.team = team;
        this.user = user;
        this.role = role;
    }

    public Id getId() {
        return id;
    }

    public Team getTeam() {
        return team;
    }

    public User getUser() {
        return user;
    }

    public TeamRole getRole() {
        return role;
    }

    public void setRole(TeamRole role) {
        this.role = role;
    }

    public Instant getCreatedAt() {
        return createdAt;
    }
}
