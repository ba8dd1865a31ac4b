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

/** A table in mixed case, which exists, with a new reference and a new column whose length changes. */
@Entity
@Table(name = "\"ProjectItem\"")
public class ProjectItem {

    @Id
    @GeneratedValue(strategy = GenerationType.IDENTITY)
    private Long id;

    @ManyToOne(fetch = FetchType.LAZY)
    @JoinColumn(name = "\"OwnerId\"")
    private QuotedUser owner;

    @Column(name = "\"Title\"", length = 80, nullable = false)
    private String title;
}
