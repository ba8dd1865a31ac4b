package dev.keel.persistence.common;

import java.util.Optional;
import org.springframework.data.jpa.repository.JpaRepository;
import org.springframework.data.repository.NoRepositoryBean;

/** What every Keel repository offers beyond {@link JpaRepository}. */
@NoRepositoryBean
public interface KeelRepository<T> extends JpaRepository<T, Long> {

    /**
     * {@code findById} without a transaction of its own: outside a service transaction it is one round trip (the
     * SELECT) instead of three (BEGIN, SELECT, COMMIT), through Hibernate's cheapest path, the lookup by id.
     */
    Optional<T> findOneById(long id);
}
