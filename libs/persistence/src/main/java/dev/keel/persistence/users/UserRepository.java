package dev.keel.persistence.users;

import dev.keel.persistence.common.KeelRepository;
import org.springframework.data.domain.Page;
import org.springframework.data.domain.Pageable;

public interface UserRepository extends KeelRepository<User> {

    Page<User> findByEmailStartingWithIgnoreCase(String emailPrefix, Pageable pageable);
}
