package dev.keel.validationfixture;

import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;

/** A table no changelog creates, as after a new entity with no changeset yet; not one of the sample's, which a team replaces. */
@Entity
@Table(name = "keel_entity_ahead_of_the_changelog")
public class EntityAheadOfTheChangelog {

    @Id
    private Long id;
}
