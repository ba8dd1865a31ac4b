package dev.keel.driftfixture;

import jakarta.persistence.Entity;
import jakarta.persistence.FetchType;
import jakarta.persistence.GeneratedValue;
import jakarta.persistence.GenerationType;
import jakarta.persistence.Id;
import jakarta.persistence.JoinColumn;
import jakarta.persistence.ManyToOne;
import jakarta.persistence.Table;

/** fixture_children whose parent became optional, with a new reference to a new table. */
@Entity
@Table(name = "fixture_children")
public class FixtureChild {

    @Id
    @GeneratedValue(strategy = GenerationType.IDENTITY)
    private Long id;

    @ManyToOne(fetch = FetchType.LAZY, optional = true)
    @JoinColumn(name = "parent_id", nullable = true)
    private FixtureParent parent;

    @ManyToOne(fetch = FetchType.LAZY)
    @JoinColumn(name = "widget_id")
    private FixtureWidget widget;
}
