package dev.keel.db.liquibase;

import dev.keel.db.settings.SettingsException;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.UnknownHostException;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Properties;
import java.util.Set;
import java.util.StringJoiner;
import org.postgresql.Driver;
import org.postgresql.PGProperty;

/**
 * What a PostgreSQL JDBC URL means to pgjdbc: the hosts it will really connect to (read the way the driver reads them,
 * so a {@code host=} parameter counts), whether all of them are this machine, and whether the server answers.
 */
public final class JdbcUrls {

    static final String PREFIX = "jdbc:postgresql:";
    static final Set<String> LOCAL = Set.of("localhost", "127.0.0.1", "::1");
    private static final int ANSWER_WITHIN_MS = 5_000;
    private static volatile String answered;
    private static volatile String loggedIn;

    private JdbcUrls() {
    }

    /** The driver's reading of the URL, or null when it is not a PostgreSQL URL pgjdbc accepts. */
    static Properties parse(String jdbcUrl) {
        return jdbcUrl == null || !jdbcUrl.startsWith(PREFIX) ? null : Driver.parseURL(jdbcUrl, new Properties());
    }

    /** Every host pgjdbc will try for this URL, in lower case and without IPv6 brackets. */
    static List<String> hostsOf(String jdbcUrl) {
        Properties parsed = parse(jdbcUrl);
        List<String> hosts = new ArrayList<>();
        if (parsed != null) {
            for (String host : PGProperty.PG_HOST.getOrDefault(parsed).split(",")) {
                hosts.add(unbracketed(host.strip()).toLowerCase(Locale.ROOT));
            }
        }
        return hosts;
    }

    /** True when the URL names at least one host and every one of them is local. */
    static boolean allLocal(String jdbcUrl) {
        List<String> hosts = hostsOf(jdbcUrl);
        return !hosts.isEmpty() && LOCAL.containsAll(hosts);
    }

    /**
     * Fails with one line naming hosts, ports and the fix when no server accepts a connection at any host of the URL, so
     * a stopped server reads as that rather than as Liquibase's three-level connection error.
     */
    static void requireAnswer(String jdbcUrl) {
        String unanswered = unanswered(jdbcUrl);
        if (unanswered != null) {
            throw new SettingsException("No PostgreSQL answers at " + unanswered
                    + ". Start PostgreSQL there, or point DB_HOST and DB_PORT at a running server (.env, the environment or -D).");
        }
    }

    /**
     * Fails with one line naming the server, the setting at fault and the fix when the server answers but refuses the
     * login: a wrong DB_USERNAME or DB_PASSWORD, a DB_NAME that does not exist, TLS that DB_SSLMODE asks for and the
     * server does not offer. Liquibase would report it as three nested connection errors.
     */
    static void requireLogin(String jdbcUrl, String user, String password) {
        Properties parsed = parse(jdbcUrl);
        // Each login is checked once per JVM.
        String login = user + '\u0000' + password + '\u0000' + jdbcUrl;
        if (parsed == null || login.equals(loggedIn)) {
            return;
        }
        Properties credentials = new Properties();
        credentials.setProperty("user", user);
        credentials.setProperty("password", password == null ? "" : password);
        credentials.setProperty("connectTimeout", "10");
        try (Connection ignored = new Driver().connect(jdbcUrl, credentials)) {
            loggedIn = login;
        } catch (SQLException e) {
            String state = e.getSQLState() == null ? "" : e.getSQLState();
            String message = (e.getMessage() == null ? e.toString() : e.getMessage().lines().findFirst().orElse("")).replaceFirst("\\.$", "");
            String fix = state.startsWith("28") ? "Fix DB_USERNAME or DB_PASSWORD"
                    : state.equals("3D000") ? "Create that database, or fix DB_NAME"
                    : message.contains("SSL") ? "Fix DB_SSLMODE, or DB_SSLROOTCERT"
                    : "Fix the DB_* settings";
            throw new SettingsException("Cannot log in to PostgreSQL at " + PGProperty.PG_HOST.getOrDefault(parsed) + ":"
                    + PGProperty.PG_PORT.getOrDefault(parsed) + " as " + user + " on database " + PGProperty.PG_DBNAME.getOrDefault(parsed)
                    + ": " + message + ". " + fix
                    + " (.env, the environment or -D).");
        }
    }

    /** True when a server accepts a connection at one of the URL's hosts. */
    static boolean answers(String jdbcUrl) {
        return unanswered(jdbcUrl) == null;
    }

    /** Null when a host of the URL answers, else each host:port with why it did not. */
    private static String unanswered(String jdbcUrl) {
        Properties parsed = parse(jdbcUrl);
        if (parsed == null || jdbcUrl.equals(answered)) {
            return null;
        }
        String[] hosts = PGProperty.PG_HOST.getOrDefault(parsed).split(",");
        String[] ports = PGProperty.PG_PORT.getOrDefault(parsed).split(",");
        StringJoiner unanswered = new StringJoiner("; ");
        for (int i = 0; i < hosts.length; i++) {
            String host = unbracketed(hosts[i].strip());
            String port = ports[Math.min(i, ports.length - 1)].strip();
            try (Socket socket = new Socket()) {
                socket.connect(new InetSocketAddress(host, Integer.parseInt(port)), ANSWER_WITHIN_MS);
                answered = jdbcUrl;
                return null;
            } catch (IOException | IllegalArgumentException e) {
                unanswered.add(host + ":" + port + " (" + (e instanceof UnknownHostException ? "unknown host" : e.getMessage()) + ")");
            }
        }
        return unanswered.toString();
    }

    /**
     * The same server's maintenance database {@code postgres}, with the URL's other parameters (TLS, for one) as
     * connection properties.
     */
    static String maintenanceUrl(Properties parsed) {
        String[] hosts = PGProperty.PG_HOST.getOrDefault(parsed).split(",");
        String[] ports = PGProperty.PG_PORT.getOrDefault(parsed).split(",");
        StringJoiner authority = new StringJoiner(",", "jdbc:postgresql://", "/postgres");
        for (int i = 0; i < hosts.length; i++) {
            String host = hosts[i].strip();
            authority.add((host.contains(":") && !host.startsWith("[") ? "[" + host + "]" : host) + ":" + ports[Math.min(i, ports.length - 1)].strip());
        }
        return authority.toString();
    }

    private static String unbracketed(String host) {
        return host.startsWith("[") && host.endsWith("]") ? host.substring(1, host.length() - 1) : host;
    }
}
