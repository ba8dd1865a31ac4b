package dev.keel.quotedfixture;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.GeneratedValue;
import jakarta.persistence.GenerationType;
import jakarta.persistence.Id;
import jakarta.persistence.Table;

/** A table named by a reserved word, which exists, with new columns: one named by a reserved word, one unique. */
@Entity
@Table(name = "\"user\"")
public class QuotedUser {

    @Id
    @GeneratedValue(strategy = GenerationType.IDENTITY)
    private Long id;

    @Column(name = "\"order\"", nullable = false)
    private Integer order;

    @Column(name = "\"Email\"", length = 40, unique = true)
    private String email;
}
