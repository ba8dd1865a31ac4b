package dev.keel.schema.daemon;

import dev.keel.db.settings.Settings;
import dev.keel.testdb.TestPostgres;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.EOFException;
import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintStream;
import java.net.InetAddress;
import java.net.Socket;
import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.TreeMap;
import java.util.stream.Stream;

/**
 * The entry point of generate, accept and the online check ({@code exec:exec}, see schema-tools' POM):
 * {@code ToolClient <tool class>}. It hands the run to the repository's warm JVM ({@link ToolDaemon}) when one with
 * its key is up; otherwise it runs the tool itself and then starts one, for the next run. {@code -Dkeel.tools.daemon=false}
 * runs the tool here and starts nothing.
 */
public final class ToolClient {

    /** The properties a tool reads, passed on to the warm JVM for each run. */
    private static final List<String> TOOL_PROPERTIES = List.of("name", "keel.entity-package", "maven.multiModuleProjectDirectory");

    private ToolClient() {
    }

    public static void main(String[] args) throws Exception {
        String tool = args[0];
        // The warm JVM holds its embedded cluster for minutes, so the tools keep one apart from the tests' (see TestPostgres).
        System.setProperty(TestPostgres.EMBEDDED_CLUSTER, "tools");
        if (!Boolean.parseBoolean(System.getProperty("keel.tools.daemon", "true"))) {
            System.exit(runHere(tool));
        }
        String entityPackage = System.getProperty("keel.entity-package", "dev.keel.persistence");
        List<Path> entityDirectories = new ArrayList<>();
        List<Path> shared = new ArrayList<>();
        for (String entry : System.getProperty("java.class.path").split(File.pathSeparator)) {
            Path path = Path.of(entry).toAbsolutePath();
            (Files.isDirectory(path.resolve(entityPackage.replace('.', '/'))) ? entityDirectories : shared).add(path);
        }
        Path state;
        String key;
        try {
            state = stateDirectory(Settings.root());
            key = key(Settings.root(), shared, entityDirectories);
        } catch (IOException | RuntimeException noDaemon) {
            // Only the speed of the run depends on the warm JVM.
            System.exit(runHere(tool));
            return;
        }
        Integer served = forward(state, key, tool, entityDirectories);
        if (served != null) {
            System.exit(served);
        }
        int status = runHere(tool);
        System.out.flush();
        startDaemon(state, key, entityPackage, shared, entityDirectories);
        System.exit(status);
    }

    /** The run's exit status as the warm JVM reports it; null when none with this key could take it. */
    private static Integer forward(Path state, String key, String tool, List<Path> entityDirectories) {
        Properties daemon = daemon(state);
        if (daemon == null) {
            return null;
        }
        Socket socket;
        try {
            socket = new Socket(InetAddress.getLoopbackAddress(), Integer.parseInt(daemon.getProperty("port")));
        } catch (IOException | RuntimeException gone) {
            // Ended without removing its file: killed, or the machine restarted.
            try {
                Files.deleteIfExists(state.resolve(ToolDaemon.PROPERTIES));
            } catch (IOException ignored) {
                // The warm JVM started next replaces it.
            }
            return null;
        }
        try (socket) {
            DataOutputStream out = new DataOutputStream(socket.getOutputStream());
            DataInputStream in = new DataInputStream(socket.getInputStream());
            out.writeUTF(daemon.getProperty("token"));
            out.writeUTF(key);
            out.writeUTF(tool);
            out.writeUTF(Charset.defaultCharset().name());
            List<String> given = TOOL_PROPERTIES.stream().filter(name -> System.getProperty(name) != null).toList();
            out.writeInt(given.size());
            for (String name : given) {
                out.writeUTF(name);
                out.writeUTF(System.getProperty(name));
            }
            out.writeInt(entityDirectories.size());
            for (Path directory : entityDirectories) {
                out.writeUTF(directory.toString());
            }
            out.flush();
            return relay(in);
        } catch (IOException | RuntimeException lost) {
            return null;
        }
    }

    /** What the warm JVM of a state directory wrote about itself; null when there is none. */
    private static Properties daemon(Path state) {
        Properties daemon = new Properties();
        try (InputStream in = Files.newInputStream(state.resolve(ToolDaemon.PROPERTIES))) {
            daemon.load(in);
            return daemon;
        } catch (IOException none) {
            return null;
        }
    }

    /** Copies the run's output as it comes; the exit status, or null when the warm JVM is not for this key. */
    private static Integer relay(DataInputStream in) throws IOException {
        boolean started = false;
        try {
            while (true) {
                byte type = in.readByte();
                int length = in.readInt();
                if (type == ToolDaemon.STALE) {
                    return null;
                }
                if (type == ToolDaemon.EXIT) {
                    return length;
                }
                started = true;
                PrintStream target = type == ToolDaemon.ERR ? System.err : System.out;
                target.write(in.readNBytes(length));
                target.flush();
            }
        } catch (EOFException ended) {
            if (!started) {
                return null;
            }
            System.err.println("The tools' warm JVM ended during the run. Run the command again; add -Dkeel.tools.daemon=false to run it"
                    + " in a JVM of its own.");
            return 1;
        }
    }

    private static int runHere(String tool) throws ReflectiveOperationException {
        return (Integer) Class.forName(tool).getMethod("run").invoke(null);
    }

    /** Starts the warm JVM in the background, in a session of its own where the system has setsid (Linux). */
    private static void startDaemon(Path state, String key, String entityPackage, List<Path> shared, List<Path> entityDirectories) {
        try {
            Files.createDirectories(state);
            List<String> command = new ArrayList<>();
            Path setsid = Stream.of("/usr/bin/setsid", "/bin/setsid").map(Path::of).filter(Files::isExecutable).findFirst().orElse(null);
            if (setsid != null) {
                command.add(setsid.toString());
            }
            command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
            command.add("-Xmx1g");
            command.add("-XX:+UseSerialGC");
            command.add("-D" + TestPostgres.EMBEDDED_CLUSTER + "=tools");
            command.add("-Dmaven.multiModuleProjectDirectory=" + Settings.root());
            for (String setting : Settings.DEFAULTS.keySet()) {
                if (System.getProperty(setting) != null) {
                    command.add("-D" + setting + "=" + System.getProperty(setting));
                }
            }
            command.add("-cp");
            command.add(String.join(File.pathSeparator, shared.stream().map(Path::toString).toList()));
            command.add(ToolDaemon.class.getName());
            command.add(state.toString());
            command.add(key);
            command.add(entityPackage);
            command.add(Long.toString(ProcessHandle.current().pid()));
            entityDirectories.forEach(directory -> command.add(directory.toString()));
            Process daemon = new ProcessBuilder(command).directory(state.toFile())
                    .redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.appendTo(state.resolve(ToolDaemon.LOG).toFile()))
                    .start();
            daemon.getOutputStream().close();
        } catch (IOException | RuntimeException e) {
            // Only the next run's speed depends on it.
        }
    }

    /** One directory per user and repository, outside the repository, so that {@code mvn clean} never meets an open file. */
    static Path stateDirectory(Path root) throws IOException {
        String configured = System.getProperty("keel.tools.state-directory");
        if (configured != null) {
            return Path.of(configured);
        }
        Path user = Path.of(System.getProperty("java.io.tmpdir"), "keel-tools-" + System.getProperty("user.name"));
        Files.createDirectories(user);
        ownerOnly(user);
        return user.resolve(HexFormat.of().formatHex(sha256(root.toString())).substring(0, 16));
    }

    /**
     * What a warm JVM must share with a client to serve it: the JDK, every class path entry but the entities' (a JAR's
     * size and modification time, a directory's files by content, but for the changelog under {@code db/}), the
     * settings a tool reads and {@code .env}.
     */
    static String key(Path root, List<Path> shared, List<Path> entityDirectories) throws IOException {
        StringBuilder text = new StringBuilder();
        text.append(System.getProperty("java.home")).append('\n').append(root).append('\n');
        for (Path entry : shared) {
            text.append(entry).append('\n');
            if (Files.isDirectory(entry)) {
                try (Stream<Path> files = Files.walk(entry)) {
                    for (Path file : files.filter(Files::isRegularFile).sorted().toList()) {
                        Path relative = entry.relativize(file);
                        if (relative.startsWith("db")) {
                            // The changelog, which the tools read from its source directory on each run.
                            continue;
                        }
                        // By content: Maven recompiles a module whenever one it depends on changed, to the same bytes.
                        text.append(relative).append(' ').append(HexFormat.of().formatHex(sha256(Files.readAllBytes(file)))).append('\n');
                    }
                }
            } else if (Files.exists(entry)) {
                text.append(stamp(entry)).append('\n');
            }
        }
        entityDirectories.forEach(directory -> text.append("entities ").append(directory).append('\n'));
        Map<String, String> environment = new TreeMap<>();
        System.getenv().forEach((name, value) -> {
            if (Settings.DEFAULTS.containsKey(name) || name.startsWith("DOCKER_") || name.startsWith("TESTCONTAINERS_")) {
                environment.put(name, value);
            }
        });
        Settings.DEFAULTS.keySet().forEach(name -> {
            if (System.getProperty(name) != null) {
                environment.put("-D" + name, System.getProperty(name));
            }
        });
        text.append(environment).append('\n');
        Path dotEnv = root.resolve(".env");
        if (Files.exists(dotEnv)) {
            text.append(Files.readString(dotEnv, StandardCharsets.UTF_8));
        }
        return HexFormat.of().formatHex(sha256(text.toString()));
    }

    private static String stamp(Path file) throws IOException {
        BasicFileAttributes attributes = Files.readAttributes(file, BasicFileAttributes.class, LinkOption.NOFOLLOW_LINKS);
        return attributes.size() + " " + attributes.lastModifiedTime().toMillis();
    }

    static void ownerOnly(Path path) throws IOException {
        if (path.getFileSystem().supportedFileAttributeViews().contains("posix")) {
            Files.setPosixFilePermissions(path, PosixFilePermissions.fromString(Files.isDirectory(path) ? "rwx------" : "rw-------"));
        }
    }

    private static byte[] sha256(String text) {
        return sha256(text.getBytes(StandardCharsets.UTF_8));
    }

    private static byte[] sha256(byte[] bytes) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(bytes);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
