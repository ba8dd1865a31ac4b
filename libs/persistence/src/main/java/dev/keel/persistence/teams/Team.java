package dev.keel.persistence.teams;

import dev.keel.persistence.common.VersionedEntity;
import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Table;

/** A row of {@code teams}; lengths mirror the changelog's CHECK constraints. */
@Entity
@Table(name = "teams")
public class Team extends VersionedEntity {

    public static final int SLUG_MIN = 2;
    public static final int SLUG_MAX = 63;
    public static final int NAME_MAX = 100;

    @Column(name = "slug", nullable = false, unique = true, length = SLUG_MAX)
    private String slug;

    @Column(name = "name", nullable = false, length = NAME_MAX)
    private String name;

    protected Team() {
    }

    public Team(String slug, String name) {
        this.slug = slug;
        this.name = name;
    }

    public String getSlug() {
        return slug;
    }

    public void setSlug(String slug) {
        this.slug = slug;
    }

    public String getName() {
        return name;
    }

    public void setName(String name) {
        this.name = name;
    }
}
