package dev.keel.backend.users;

import dev.keel.backend.web.PageRequests;
import dev.keel.backend.web.PageResponse;
import dev.keel.backend.web.Versions;
import jakarta.validation.Valid;
import java.net.URI;
import org.springdoc.core.annotations.ParameterObject;
import org.springframework.data.domain.Pageable;
import org.springframework.data.domain.Sort;
import org.springframework.data.web.PageableDefault;
import org.springframework.http.HttpHeaders;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PatchMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestHeader;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

@RestController
@RequestMapping("/api/users")
class UserController {

    private final UserService service;

    UserController(UserService service) {
        this.service = service;
    }

    @PostMapping
    ResponseEntity<UserResponse> create(@Valid @RequestBody UserRequests.CreateUser request) {
        UserResponse created = service.create(request);
        return ResponseEntity.created(URI.create("/api/users/" + created.id())).eTag(Versions.etag(created.version())).body(created);
    }

    @GetMapping("/{id}")
    ResponseEntity<UserResponse> get(@PathVariable long id) {
        UserResponse user = service.get(id);
        return ResponseEntity.ok().eTag(Versions.etag(user.version())).body(user);
    }

    @GetMapping
    PageResponse<UserResponse> list(@RequestParam(required = false) String emailPrefix,
                                    @ParameterObject @PageableDefault(size = 20, sort = "id", direction = Sort.Direction.ASC) Pageable pageable) {
        return PageResponse.of(service.list(emailPrefix, PageRequests.checked(pageable)));
    }

    @PatchMapping("/{id}")
    ResponseEntity<UserResponse> update(@PathVariable long id, @Valid @RequestBody UserRequests.UpdateUser request,
                                        @RequestHeader(name = HttpHeaders.IF_MATCH, required = false) String ifMatch) {
        UserResponse user = service.update(id, request, Versions.expected(ifMatch, request.version()));
        return ResponseEntity.ok().eTag(Versions.etag(user.version())).body(user);
    }

    @DeleteMapping("/{id}")
    ResponseEntity<Void> delete(@PathVariable long id) {
        service.delete(id);
        return ResponseEntity.noContent().build();
    }
}
