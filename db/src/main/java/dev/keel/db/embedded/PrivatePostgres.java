package dev.keel.db.embedded;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * zonky's embedded PostgreSQL as Keel starts it, so that no other account on the machine can use it. zonky runs
 * {@code initdb -A trust}; here initdb also gets {@code --auth=scram-sha-256} (a later option wins) and the superuser's
 * password from the 0600 file of a {@link PrivateFolder}, so the cluster trusts no connection from its first moment.
 * zonky unpacks its binaries into a private folder too, instead of the shared {@code <temp>/embedded-pg}.
 */
public final class PrivatePostgres {

    /** The superuser zonky's initdb creates. */
    public static final String SUPERUSER = "postgres";

    /** zonky's own setting for its working folder (binaries and throwaway clusters), read when a builder is made. */
    private static final String WORKING_FOLDER = "ot.epg.working-dir";

    private PrivatePostgres() {
    }

    /** {@code <temp>/keel-postgres-<user>}: where the binaries are unpacked, checked (or made, or replaced) as private. */
    public static Path binariesFolder() throws IOException {
        return PrivateFolder.open(Path.of(System.getProperty("java.io.tmpdir"), "keel-postgres-" + System.getProperty("user.name")));
    }

    /**
     * A builder whose cluster needs the password kept in {@code secrets} (a private folder), with its binaries, and any
     * throwaway cluster, under {@code binaries}/work.
     */
    public static synchronized EmbeddedPostgres.Builder builder(Path binaries, Path secrets) throws IOException {
        Path work = Files.createDirectories(binaries.resolve("work"));
        System.setProperty(WORKING_FOLDER, work.toString());
        return EmbeddedPostgres.builder()
                // zonky passes its "locale" settings to initdb as --key=value, after its own -A trust.
                .setLocaleConfig("auth", "scram-sha-256")
                .setLocaleConfig("pwfile", secrets.resolve(PrivateFolder.PASSWORD_FILE).toString())
                .setConnectConfig("password", PrivateFolder.password(secrets));
    }

    /** zonky makes its working folder writable by everyone when it unpacks the binaries; this takes that back. */
    public static void restrictWorkingFolder(Path binaries) throws IOException {
        Path work = binaries.resolve("work");
        PrivateFolder.restrict(work);
        try (var entries = Files.list(work)) {
            for (Path entry : (Iterable<Path>) entries::iterator) {
                PrivateFolder.restrict(entry);
            }
        }
    }
}
