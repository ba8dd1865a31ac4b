package dev.keel.validationfixture;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;

/** The users table with a column the changelog does not create, as after an entity edit with no changeset yet. */
@Entity
@Table(name = "users")
public class UserWithPhone {

    @Id
    private Long id;

    @Column(name = "no_such_column_yet", length = 20)
    private String noSuchColumnYet;
}
