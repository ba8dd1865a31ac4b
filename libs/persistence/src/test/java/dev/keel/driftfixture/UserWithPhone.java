package dev.keel.driftfixture;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;

@Entity
@Table(name = "users")
public class UserWithPhone {

    @Id
    private Long id;

    @Column(name = "email", nullable = true, length = 320)
    private String email;

    @Column(name = "phone", nullable = false, length = 20)
    private String phone;
}
