package dev.keel.persistence.teams;

import dev.keel.persistence.common.KeelRepository;
import org.springframework.data.domain.Page;
import org.springframework.data.domain.Pageable;

public interface TeamRepository extends KeelRepository<Team> {

    Page<Team> findBySlugStartingWith(String slugPrefix, Pageable pageable);
}
