package dev.keel.backend.users;

import static org.mockito.ArgumentMatchers.any;
import static org.mockito.ArgumentMatchers.eq;
import static org.mockito.BDDMockito.given;
import static org.mockito.Mockito.verifyNoInteractions;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.get;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.patch;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.post;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.content;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.header;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.jsonPath;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.status;

import static org.hamcrest.Matchers.containsInAnyOrder;
import static org.hamcrest.Matchers.startsWith;

import dev.keel.backend.availability.DatabaseAvailability;
import java.time.Instant;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.webmvc.test.autoconfigure.WebMvcTest;
import org.springframework.http.MediaType;
import org.springframework.test.context.bean.override.mockito.MockitoBean;
import org.springframework.test.web.servlet.MockMvc;

/** The web layer alone: status codes, headers and problem bodies; the service is a stub here. */
@WebMvcTest(controllers = UserController.class)
class UserControllerTest {

    @Autowired
    MockMvc mvc;

    @MockitoBean
    UserService service;

    /** The web layer asks it whether the database is away; this slice has no database. */
    @MockitoBean
    DatabaseAvailability availability;

    private static final UserResponse ADA = new UserResponse(7L, "ada@example.com", "Ada", Instant.EPOCH, Instant.EPOCH, 3);

    @Test
    void createAnswers201WithLocationAndETag() throws Exception {
        given(service.create(any())).willReturn(ADA);

        mvc.perform(post("/api/users").contentType(MediaType.APPLICATION_JSON).content("{\"email\":\"ada@example.com\",\"displayName\":\"Ada\"}"))
                .andExpect(status().isCreated())
                .andExpect(header().string("Location", "/api/users/7"))
                .andExpect(header().string("ETag", "\"3\""))
                .andExpect(jsonPath("$.displayName").value("Ada"));
    }

    @Test
    void invalidFieldsAre400ProblemsListingEachField() throws Exception {
        mvc.perform(post("/api/users").contentType(MediaType.APPLICATION_JSON).content("{\"email\":\"\"}"))
                .andExpect(status().isBadRequest())
                .andExpect(content().contentType(MediaType.APPLICATION_PROBLEM_JSON))
                .andExpect(jsonPath("$.errors[*].field").value(containsInAnyOrder("email", "displayName")));
        verifyNoInteractions(service);
    }

    @Test
    void malformedJsonIs400() throws Exception {
        mvc.perform(post("/api/users").contentType(MediaType.APPLICATION_JSON).content("{"))
                .andExpect(status().isBadRequest())
                .andExpect(jsonPath("$.detail").value(startsWith("The request body is not valid JSON")));
    }

    @Test
    void anUpdateWithoutAVersionIs428AndAnUnreadableIfMatchIs400() throws Exception {
        mvc.perform(patch("/api/users/7").contentType(MediaType.APPLICATION_JSON).content("{\"displayName\":\"X\"}"))
                .andExpect(status().isPreconditionRequired());
        mvc.perform(patch("/api/users/7").header("If-Match", "\"abc\"").contentType(MediaType.APPLICATION_JSON).content("{}"))
                .andExpect(status().isBadRequest());
        verifyNoInteractions(service);
    }

    @Test
    void ifMatchAnyVersionNamesNoVersion() throws Exception {
        mvc.perform(patch("/api/users/7").header("If-Match", "*").contentType(MediaType.APPLICATION_JSON).content("{\"displayName\":\"X\"}"))
                .andExpect(status().isPreconditionRequired());
        given(service.update(eq(7L), any(), eq(4L))).willReturn(ADA);

        mvc.perform(patch("/api/users/7").header("If-Match", "*").contentType(MediaType.APPLICATION_JSON).content("{\"displayName\":\"Ada\",\"version\":4}"))
                .andExpect(status().isOk());
    }

    @Test
    void anUpdatePassesTheIfMatchVersionToTheService() throws Exception {
        given(service.update(eq(7L), any(), eq(3L))).willReturn(ADA);

        mvc.perform(patch("/api/users/7").header("If-Match", "W/\"3\"").contentType(MediaType.APPLICATION_JSON).content("{\"displayName\":\"Ada\"}"))
                .andExpect(status().isOk())
                .andExpect(header().string("ETag", "\"3\""));
    }

    @Test
    void aNonNumericIdIs400() throws Exception {
        mvc.perform(get("/api/users/abc"))
                .andExpect(status().isBadRequest());
        verifyNoInteractions(service);
    }
}
