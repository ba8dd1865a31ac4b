package dev.keel.persistence.users;

import dev.keel.persistence.common.VersionedEntity;
import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Table;

/** A row of {@code users}; lengths mirror the changelog's CHECK constraints. */
@Entity
@Table(name = "users")
public class User extends VersionedEntity {

    public static final int EMAIL_MAX = 320;
    public static final int DISPLAY_NAME_MAX = 100;

    @Column(name = "email", nullable = false, length = EMAIL_MAX)
    private String email;

    @Column(name = "display_name", nullable = false, length = DISPLAY_NAME_MAX)
    private String displayName;

    protected User() {
    }

    public User(String email, String displayName) {
        this.email = email;
        this.displayName = displayName;
    }

    public String getEmail() {
        return email;
    }

    public void setEmail(String email) {
        this.email = email;
    }

    public String getDisplayName() {
        return displayName;
    }

    public void setDisplayName(String displayName) {
        this.displayName = displayName;
    }
}
