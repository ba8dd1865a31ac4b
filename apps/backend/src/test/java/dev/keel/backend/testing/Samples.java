package dev.keel.backend.testing;

/** Request bodies for tests. */
public final class Samples {

    private Samples() {
    }

    public static String aUser(String email) {
        return "{\"email\":\"" + email + "\",\"displayName\":\"" + email.substring(0, email.indexOf('@')) + "\"}";
    }

    public static String aTeam(String slug) {
        return "{\"slug\":\"" + slug + "\",\"name\":\"Team " + slug + "\"}";
    }

    public static String aRole(String role) {
        return "{\"role\":\"" + role + "\"}";
    }
}
