package dev.keel.backend.users;

import dev.keel.backend.errors.ConflictException;
import dev.keel.backend.errors.NotFoundException;
import dev.keel.backend.errors.StaleVersionException;
import dev.keel.persistence.users.User;
import dev.keel.persistence.users.UserRepository;
import org.springframework.dao.DataIntegrityViolationException;
import org.springframework.data.domain.Page;
import org.springframework.data.domain.Pageable;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;

/** Each write is one transaction, flushed inside it, so a violated constraint rolls it back; a read of one row runs without one. */
@Service
public class UserService {

    private final UserRepository users;
    private final UserMapper mapper;

    UserService(UserRepository users, UserMapper mapper) {
        this.users = users;
        this.mapper = mapper;
    }

    @Transactional
    public UserResponse create(UserRequests.CreateUser request) {
        return mapper.toUserResponse(users.saveAndFlush(mapper.toUser(request)));
    }

    /** One SELECT needs no transaction of its own: it reads one consistent snapshot by itself. */
    public UserResponse get(long id) {
        return mapper.toUserResponse(users.findOneById(id).orElseThrow(() -> new NotFoundException("user", id)));
    }

    @Transactional(readOnly = true)
    public Page<UserResponse> list(String emailPrefix, Pageable pageable) {
        Page<User> page = emailPrefix == null || emailPrefix.isBlank()
                ? users.findAll(pageable)
                : users.findByEmailStartingWithIgnoreCase(emailPrefix, pageable);
        return page.map(mapper::toUserResponse);
    }

    @Transactional
    public UserResponse update(long id, UserRequests.UpdateUser request, long expectedVersion) {
        User user = find(id);
        StaleVersionException.requireCurrent(expectedVersion, user.getVersion());
        mapper.updateUser(request, user);
        users.flush();
        return mapper.toUserResponse(user);
    }

    /** A user who still belongs to a team cannot be deleted (ON DELETE RESTRICT). */
    @Transactional
    public void delete(long id) {
        users.delete(find(id));
        try {
            users.flush();
        } catch (DataIntegrityViolationException e) {
            throw new ConflictException("User " + id + " still belongs to a team; remove the user from its teams first.");
        }
    }

    private User find(long id) {
        return users.findById(id).orElseThrow(() -> new NotFoundException("user", id));
    }
}
