package dev.keel.charfixture;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import org.hibernate.annotations.JdbcTypeCode;
import org.hibernate.type.SqlTypes;

/** A char(2) column mapped as Hibernate accepts it, and a char(3) one mapped as a plain String, which its validation refuses. */
@Entity
@Table(name = "countries")
public class Country {

    @Id
    private Long id;

    @JdbcTypeCode(SqlTypes.CHAR)
    @Column(name = "code", columnDefinition = "char(2)", nullable = false)
    private String code;

    @Column(name = "code3", columnDefinition = "char(3)", nullable = false)
    private String code3;
}
