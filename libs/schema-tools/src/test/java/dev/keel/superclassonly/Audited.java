package dev.keel.superclassonly;

import jakarta.persistence.Column;
import jakarta.persistence.MappedSuperclass;
import java.time.Instant;

/** A package whose only mapped class is a superclass, as a project has after removing the sample's entities. */
@MappedSuperclass
public abstract class Audited {

    @Column(name = "created_at", nullable = false)
    private Instant createdAt;
}
