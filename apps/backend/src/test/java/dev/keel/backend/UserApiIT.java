package dev.keel.backend;

import static dev.keel.backend.testing.Samples.aRole;
import static dev.keel.backend.testing.Samples.aTeam;
import static dev.keel.backend.testing.Samples.aUser;
import static org.assertj.core.api.Assertions.assertThat;

import dev.keel.backend.testing.Api;
import dev.keel.backend.testing.ApiTestSupport;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;

class UserApiIT extends ApiTestSupport {

    @Test
    void createsAUserWithLocationAndETag() {
        Api.Response created = api.post("/api/users", aUser("create@example.com"));

        assertThat(created.status()).as(created.toString()).isEqualTo(201);
        assertThat(created.header("Location")).isEqualTo("/api/users/" + created.id());
        assertThat(created.header("ETag")).isEqualTo("\"0\"");
        assertThat((String) created.json("$.displayName")).isEqualTo("create");
        assertThat(api.get("/api/users/" + created.id()).status()).isEqualTo(200);
    }

    @Test
    void sendsASmallBodyWholeWithItsLengthNotChunked() {
        Api.Response created = api.post("/api/users", aUser("length@example.com"));
        Api.Response read = api.get("/api/users/" + created.id());

        for (Api.Response response : List.of(created, read, api.get("/api/users/999999"))) {
            assertThat(response.raw().headers().firstValue("Content-Length")).as(response.toString())
                    .hasValue(String.valueOf(response.body().getBytes(StandardCharsets.UTF_8).length));
            assertThat(response.raw().headers().firstValue("Transfer-Encoding")).as(response.toString()).isEmpty();
        }
    }

    @Test
    void answersAnUnknownIdWith404Problem() {
        Api.Response missing = api.get("/api/users/999999");

        assertThat(missing.status()).isEqualTo(404);
        assertThat(missing.header("Content-Type")).isEqualTo("application/problem+json");
        assertThat((String) missing.json("$.detail")).isEqualTo("user 999999 does not exist");
    }

    @Test
    void clientMistakesAre400ProblemsNamingTheirParameterOrFieldAndWriteNothing() {
        long before = total("");

        assertNames(api.post("/api/users", "{\"email\":\"nul@example.com\",\"displayName\":\"a\\u0000b\"}"), 400, "field", "displayName");
        assertNames(api.post("/api/users", "{\"email\":\"typo@example.com\",\"displayName\":\"T\",\"dispalyName\":\"T\"}"),
                400, "field", "dispalyName");
        assertNames(api.post("/api/users", "{\"email\":[],\"displayName\":\"T\"}"), 400, "field", "email");
        assertNames(api.post("/api/users", "{\"email\":\"number@example.com\",\"displayName\":42}"), 400, "field", "displayName");
        assertNames(api.post("/api/users", "{\"email\":\"boolean@example.com\",\"displayName\":true}"), 400, "field", "displayName");
        assertNames(api.post("/api/users", "{\"email\":123,\"displayName\":\"T\"}"), 400, "field", "email");
        assertNames(api.post("/api/users", "{\"email\":\"twice@example.com\",\"displayName\":\"A\",\"displayName\":\"B\"}"),
                400, "parameter", "body");
        assertNames(api.post("/api/users", "{", "Content-Type", "application/json"), 400, "parameter", "body");
        assertNames(api.post("/api/users", aUser("star@example.com"), "Content-Type", "*/*"), 415, "parameter", "Content-Type");
        assertNames(api.get("/api/users?emailPrefix=%00"), 400, "parameter", "emailPrefix");
        assertNames(api.get("/api/users?sort=email;drop"), 400, "parameter", "sort");
        assertNames(api.get("/api/users?sort=nope"), 400, "parameter", "sort");
        assertNames(api.get("/api/users?page=2147483647&size=100"), 400, "parameter", "page");
        for (String page : List.of("abc", "-1", "1.5", "99999999999")) {
            assertNames(api.get("/api/users?page=" + page), 400, "parameter", "page");
        }
        for (String size : List.of("abc", "-5", "0", "101")) {
            assertNames(api.get("/api/users?size=" + size), 400, "parameter", "size");
        }
        assertNames(api.get("/api/users/abc"), 400, "parameter", "id");
        assertNames(api.get("/api/users/999999"), 404, "parameter", "id");
        assertThat(total("")).isEqualTo(before);
    }

    private static void assertNames(Api.Response response, int status, String property, String name) {
        assertThat(response.status()).as(response.toString()).isEqualTo(status);
        assertThat(response.header("Content-Type")).as(response.toString()).startsWith("application/problem+json");
        assertThat((String) response.json("$." + property)).as(response.toString()).isEqualTo(name);
    }

    @Test
    void rejectsDuplicateEmailWithConflictRegardlessOfCase() {
        api.post("/api/users", aUser("dup@example.com"));
        long before = total("dup");

        Api.Response duplicate = api.post("/api/users", aUser("DUP@example.com"));

        assertThat(duplicate.status()).isEqualTo(409);
        assertThat((String) duplicate.json("$.field")).isEqualTo("email");
        assertThat((String) duplicate.json("$.constraint")).isEqualTo("uq_users__email");
        assertThat(total("dup")).isEqualTo(before);
    }

    @Test
    void listsEveryInvalidFieldWith400() {
        Api.Response invalid = api.post("/api/users", "{\"email\":\"\",\"displayName\":null}");

        assertThat(invalid.status()).isEqualTo(400);
        List<String> fields = invalid.json("$.errors[*].field");
        assertThat(fields).containsExactlyInAnyOrder("email", "displayName");
    }

    @Test
    void rejectsMalformedJsonWith400() {
        Api.Response malformed = api.post("/api/users", "{\"email\": ");

        assertThat(malformed.status()).isEqualTo(400);
        assertThat((String) malformed.json("$.detail")).startsWith("The request body is not valid JSON");
    }

    @Test
    void statesTheRuleOfAViolatedCheckWith400AndWritesNothing() {
        Api.Response badEmail = api.post("/api/users", "{\"email\":\"no at sign\",\"displayName\":\"X\"}");

        assertThat(badEmail.status()).isEqualTo(400);
        assertThat((String) badEmail.json("$.constraint")).isEqualTo("ck_users__email_format");
        assertThat((String) badEmail.json("$.detail")).contains("exactly one @");
        assertThat(total("no at")).isZero();
    }

    @Test
    void pagesSortsAndFiltersByEmailPrefix() {
        for (String name : List.of("pa-c", "pa-a", "pa-b", "other")) {
            api.post("/api/users", aUser(name + "@example.com"));
        }

        Api.Response page = api.get("/api/users?emailPrefix=PA-&sort=email,desc&size=2&page=0");

        assertThat(page.status()).isEqualTo(200);
        List<String> emails = page.json("$.content[*].email");
        assertThat(emails).containsExactly("pa-c@example.com", "pa-b@example.com");
        assertThat((Integer) page.json("$.totalElements")).isEqualTo(3);
        assertThat((Integer) page.json("$.totalPages")).isEqualTo(2);
        assertThat(api.get("/api/users?sort=password").status()).isEqualTo(400);
    }

    @Test
    void updatesWithIfMatchAndRefusesAStaleVersion() {
        long id = api.post("/api/users", aUser("patch@example.com")).id();

        Api.Response updated = api.patch("/api/users/" + id, "{\"displayName\":\"Patched\"}", "If-Match", "\"0\"");
        assertThat(updated.status()).as(updated.toString()).isEqualTo(200);
        assertThat(updated.header("ETag")).isEqualTo("\"1\"");

        Api.Response stale = api.patch("/api/users/" + id, "{\"displayName\":\"Lost update\"}", "If-Match", "\"0\"");
        assertThat(stale.status()).isEqualTo(412);
        Api.Response staleField = api.patch("/api/users/" + id, "{\"displayName\":\"Lost update\",\"version\":0}");
        assertThat(staleField.status()).isEqualTo(412);
        assertThat(api.patch("/api/users/" + id, "{\"displayName\":\"No version\"}").status()).isEqualTo(428);

        assertThat((String) api.get("/api/users/" + id).json("$.displayName")).isEqualTo("Patched");
        assertThat(api.patch("/api/users/" + id, "{\"displayName\":\"By field\",\"version\":1}").status()).isEqualTo(200);
    }

    @Test
    void refusesAnUpdateToATakenEmailAndKeepsTheRow() {
        api.post("/api/users", aUser("taken@example.com"));
        long id = api.post("/api/users", aUser("mine@example.com")).id();

        Api.Response conflict = api.patch("/api/users/" + id, "{\"email\":\"Taken@example.com\",\"version\":0}");

        assertThat(conflict.status()).isEqualTo(409);
        Api.Response after = api.get("/api/users/" + id);
        assertThat((String) after.json("$.email")).isEqualTo("mine@example.com");
        assertThat(after.header("ETag")).isEqualTo("\"0\"");
    }

    @Test
    void deletesAUserButNotOneWhoStillBelongsToATeam() {
        long free = api.post("/api/users", aUser("free@example.com")).id();
        assertThat(api.delete("/api/users/" + free).status()).isEqualTo(204);
        assertThat(api.get("/api/users/" + free).status()).isEqualTo(404);
        assertThat(api.delete("/api/users/" + free).status()).isEqualTo(404);

        long member = api.post("/api/users", aUser("member@example.com")).id();
        long team = api.post("/api/teams", aTeam("delete-guard")).id();
        api.put("/api/teams/" + team + "/members/" + member, aRole("member"));

        Api.Response refused = api.delete("/api/users/" + member);
        assertThat(refused.status()).isEqualTo(409);
        assertThat((String) refused.json("$.detail")).contains("still belongs to a team");
        assertThat(api.get("/api/users/" + member).status()).isEqualTo(200);
    }

    private long total(String emailPrefix) {
        return ((Number) api.get("/api/users?emailPrefix=" + emailPrefix.replace(" ", "%20")).json("$.totalElements")).longValue();
    }
}
