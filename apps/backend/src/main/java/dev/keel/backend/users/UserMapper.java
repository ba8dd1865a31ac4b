package dev.keel.backend.users;

import dev.keel.persistence.users.User;
import org.mapstruct.BeanMapping;
import org.mapstruct.Mapper;
import org.mapstruct.MappingTarget;
import org.mapstruct.NullValuePropertyMappingStrategy;

@Mapper
public interface UserMapper {

    UserResponse toUserResponse(User user);

    UserSummary toUserSummary(User user);

    default User toUser(UserRequests.CreateUser request) {
        return new User(request.email(), request.displayName());
    }

    @BeanMapping(nullValuePropertyMappingStrategy = NullValuePropertyMappingStrategy.IGNORE, ignoreUnmappedSourceProperties = "version")
    void updateUser(UserRequests.UpdateUser request, @MappingTarget User user);
}
