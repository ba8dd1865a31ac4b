package dev.keel.persistence.common;

import jakarta.persistence.EntityManager;
import java.util.Optional;
import org.springframework.data.jpa.repository.support.JpaEntityInformation;
import org.springframework.data.jpa.repository.support.SimpleJpaRepository;
import org.springframework.transaction.annotation.Propagation;
import org.springframework.transaction.annotation.Transactional;

/** The implementation behind every {@link KeelRepository} (see PersistenceAutoConfiguration). */
public class KeelRepositoryBase<T> extends SimpleJpaRepository<T, Long> implements KeelRepository<T> {

    private final EntityManager entityManager;

    public KeelRepositoryBase(JpaEntityInformation<T, Long> entity, EntityManager entityManager) {
        super(entity, entityManager);
        this.entityManager = entityManager;
    }

    @Override
    @Transactional(propagation = Propagation.SUPPORTS, readOnly = true)
    public Optional<T> findOneById(long id) {
        return Optional.ofNullable(entityManager.find(getDomainClass(), id));
    }
}
