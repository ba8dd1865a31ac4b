package dev.keel.backend;

import static dev.keel.backend.testing.Samples.aRole;
import static dev.keel.backend.testing.Samples.aTeam;
import static dev.keel.backend.testing.Samples.aUser;
import static org.assertj.core.api.Assertions.assertThat;

import dev.keel.backend.testing.Api;
import dev.keel.backend.testing.ApiTestSupport;
import java.util.List;
import org.junit.jupiter.api.Test;

class TeamApiIT extends ApiTestSupport {

    @Test
    void createsReadsUpdatesListsAndDeletesATeam() {
        Api.Response created = api.post("/api/teams", aTeam("crud"));
        assertThat(created.status()).isEqualTo(201);
        assertThat(created.header("Location")).isEqualTo("/api/teams/" + created.id());

        Api.Response updated = api.patch("/api/teams/" + created.id(), "{\"name\":\"Renamed\"}", "If-Match", created.header("ETag"));
        assertThat(updated.status()).isEqualTo(200);
        assertThat((String) api.get("/api/teams/" + created.id()).json("$.name")).isEqualTo("Renamed");
        List<String> slugs = api.get("/api/teams?slugPrefix=cr").json("$.content[*].slug");
        assertThat(slugs).containsExactly("crud");

        assertThat(api.patch("/api/teams/" + created.id(), "{\"name\":\"Stale\",\"version\":0}").status()).isEqualTo(412);
        assertThat(api.delete("/api/teams/" + created.id()).status()).isEqualTo(204);
        assertThat(api.get("/api/teams/" + created.id()).status()).isEqualTo(404);
    }

    @Test
    void rejectsADuplicateSlugWith409AndABadSlugWith400() {
        api.post("/api/teams", aTeam("taken"));

        Api.Response duplicate = api.post("/api/teams", aTeam("taken"));
        assertThat(duplicate.status()).isEqualTo(409);
        assertThat((String) duplicate.json("$.field")).isEqualTo("slug");

        Api.Response badFormat = api.post("/api/teams", aTeam("Not A Slug"));
        assertThat(badFormat.status()).isEqualTo(400);
        assertThat((String) badFormat.json("$.constraint")).isEqualTo("ck_teams__slug_format");
        assertThat((String) badFormat.json("$.detail")).contains("lower-case letters and digits");
        assertThat((Integer) api.get("/api/teams?slugPrefix=Not").json("$.totalElements")).isZero();
    }

    @Test
    void addsChangesListsAndRemovesMembers() {
        long team = api.post("/api/teams", aTeam("members")).id();
        long ada = api.post("/api/users", aUser("ada@example.com")).id();
        long bob = api.post("/api/users", aUser("bob@example.com")).id();

        assertThat(api.put("/api/teams/" + team + "/members/" + ada, aRole("owner")).status()).isEqualTo(201);
        assertThat(api.put("/api/teams/" + team + "/members/" + bob, aRole("member")).status()).isEqualTo(201);
        Api.Response changed = api.put("/api/teams/" + team + "/members/" + bob, aRole("admin"));
        assertThat(changed.status()).isEqualTo(200);
        assertThat((String) changed.json("$.role")).isEqualTo("admin");

        Api.Response members = api.get("/api/teams/" + team + "/members");
        assertThat(members.status()).isEqualTo(200);
        List<String> emails = members.json("$[*].user.email");
        List<String> roles = members.json("$[*].role");
        assertThat(emails).containsExactly("ada@example.com", "bob@example.com");
        assertThat(roles).containsExactly("owner", "admin");

        assertThat(api.delete("/api/teams/" + team + "/members/" + bob).status()).isEqualTo(204);
        assertThat(api.delete("/api/teams/" + team + "/members/" + bob).status()).isEqualTo(404);
        List<String> left = api.get("/api/teams/" + team + "/members").json("$[*].user.email");
        assertThat(left).containsExactly("ada@example.com");
    }

    @Test
    void answersMissingUsersTeamsAndBadRolesWithoutWriting() {
        long team = api.post("/api/teams", aTeam("errors")).id();
        long ada = api.post("/api/users", aUser("ada-errors@example.com")).id();

        Api.Response unknownUser = api.put("/api/teams/" + team + "/members/999999", aRole("member"));
        assertThat(unknownUser.status()).isEqualTo(404);
        assertThat((String) unknownUser.json("$.detail")).isEqualTo("The user does not exist.");
        assertThat(api.put("/api/teams/999999/members/" + ada, aRole("member")).status()).isEqualTo(404);
        assertThat(api.get("/api/teams/999999/members").status()).isEqualTo(404);

        Api.Response badRole = api.put("/api/teams/" + team + "/members/" + ada, aRole("guest"));
        assertThat(badRole.status()).isEqualTo(400);
        assertThat((String) badRole.json("$.errors[0].message")).isEqualTo("role must be owner, admin or member");
        assertThat(api.put("/api/teams/" + team + "/members/" + ada, "{\"role\":").status()).isEqualTo(400);

        List<Object> members = api.get("/api/teams/" + team + "/members").json("$");
        assertThat(members).isEmpty();
    }

    @Test
    void deletingATeamRemovesItsMemberships() {
        long team = api.post("/api/teams", aTeam("cascade")).id();
        long ada = api.post("/api/users", aUser("ada-cascade@example.com")).id();
        api.put("/api/teams/" + team + "/members/" + ada, aRole("owner"));

        assertThat(api.delete("/api/teams/" + team).status()).isEqualTo(204);
        assertThat(api.delete("/api/users/" + ada).status()).as("the user no longer belongs to a team").isEqualTo(204);
    }
}
