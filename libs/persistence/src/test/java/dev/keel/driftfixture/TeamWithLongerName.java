package dev.keel.driftfixture;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;

@Entity
@Table(name = "teams")
public class TeamWithLongerName {

    @Id
    private Long id;

    @Column(name = "name", nullable = false, length = 200)
    private String name;
}
