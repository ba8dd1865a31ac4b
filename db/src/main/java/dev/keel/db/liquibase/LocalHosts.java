package dev.keel.db.liquibase;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/** Reads the hosts out of a PostgreSQL JDBC URL and tells whether all of them are this machine. */
final class LocalHosts {

    static final Set<String> LOCAL = Set.of("localhost", "127.0.0.1", "::1");

    private static final String PREFIX = "jdbc:postgresql://";

    private LocalHosts() {
    }

    /** Every host a URL names; pgjdbc accepts a comma-separated list of {@code host[:port]}. */
    static List<String> hostsOf(String jdbcUrl) {
        if (jdbcUrl == null || !jdbcUrl.startsWith(PREFIX)) {
            return List.of();
        }
        String authority = jdbcUrl.substring(PREFIX.length());
        int slash = authority.indexOf('/');
        if (slash >= 0) {
            authority = authority.substring(0, slash);
        }
        List<String> hosts = new ArrayList<>();
        for (String hostAndPort : authority.split(",")) {
            hosts.add(hostOf(hostAndPort.strip()).toLowerCase(Locale.ROOT));
        }
        return hosts;
    }

    /** True when the URL names at least one host and every one of them is local. */
    static boolean allLocal(String jdbcUrl) {
        List<String> hosts = hostsOf(jdbcUrl);
        return !hosts.isEmpty() && LOCAL.containsAll(hosts);
    }

    private static String hostOf(String hostAndPort) {
        if (hostAndPort.startsWith("[")) {
            int close = hostAndPort.indexOf(']');
            return close < 0 ? hostAndPort : hostAndPort.substring(1, close);
        }
        int colon = hostAndPort.lastIndexOf(':');
        return colon < 0 ? hostAndPort : hostAndPort.substring(0, colon);
    }
}
