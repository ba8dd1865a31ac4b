package dev.keel.quotedfixture;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.FetchType;
import jakarta.persistence.GeneratedValue;
import jakarta.persistence.GenerationType;
import jakarta.persistence.Id;
import jakarta.persistence.JoinColumn;
import jakarta.persistence.ManyToOne;
import jakarta.persistence.Table;

/** A new table in upper case, referencing a mixed-case one. */
@Entity
@Table(name = "\"TAG\"")
public class Tag {

    @Id
    @GeneratedValue(strategy = GenerationType.IDENTITY)
    private Long id;

    @ManyToOne(fetch = FetchType.LAZY, optional = false)
    @JoinColumn(name = "\"ItemId\"", nullable = false)
    private ProjectItem item;

    @Column(name = "\"Label\"", length = 30, nullable = false)
    private String label;
}
