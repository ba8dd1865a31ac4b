package dev.keel.schema.daemon;

import dev.keel.schema.Project;
import dev.keel.schema.ShadowDatabase;
import dev.keel.schema.accept.Accept;
import dev.keel.schema.drift.SchemaDrift;
import dev.keel.schema.generate.GenerateChangeset;
import dev.keel.schema.online.OnlineCheck;
import dev.keel.schema.snapshot.SnapshotFiles;
import dev.keel.testdb.TestPostgres;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.sql.Connection;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.logging.Level;
import java.util.logging.Logger;
import liquibase.Scope;

/**
 * The schema tools' warm JVM, one per repository and user, as Gradle keeps a daemon: generate, accept and the online
 * check start a small client ({@link ToolClient}) that hands the run to it, so a run costs what the work costs, not a
 * JVM's start and Hibernate's and Liquibase's first use. It serves one run at a time, on the loopback interface, to
 * clients that know the token it wrote for its user, and ends after {@link #IDLE} without a run.
 *
 * <p>It serves only clients with its key: the same JDK, libraries, Keel classes, settings and {@code .env}. The
 * entity classes are the exception, since they change all day: each run loads them afresh.
 */
public final class ToolDaemon {

    public static final Duration IDLE = Duration.ofMinutes(15);

    static final String PROPERTIES = "daemon.properties";
    static final String LOCK = "daemon.lock";
    static final String LOG = "daemon.log";

    /** Frames of the answer: standard output, standard error, the exit status, or "not my key". */
    static final byte OUT = 'O';
    static final byte ERR = 'E';
    static final byte EXIT = 'X';
    static final byte STALE = 'S';

    /** What it runs: the tools whose commands start {@link ToolClient}. */
    static final Set<String> TOOLS = Set.of(GenerateChangeset.class.getName(), Accept.class.getName(), OnlineCheck.class.getName());

    private final String key;
    private final String token = HexFormat.of().formatHex(new SecureRandom().generateSeed(24));
    private boolean stopped;

    private ToolDaemon(String key) {
        this.key = key;
    }

    /** {@code <state directory> <key> <entity package> <pid of the client that started it> <entity directory>...} */
    public static void main(String[] args) throws Exception {
        Path state = Path.of(args[0]);
        Files.createDirectories(state);
        try (FileChannel channel = FileChannel.open(state.resolve(LOCK), StandardOpenOption.CREATE, StandardOpenOption.WRITE);
             FileLock lock = lockWithin(channel, Duration.ofSeconds(10))) {
            if (lock == null) {
                log("another warm JVM serves this repository; this one ends");
                return;
            }
            new ToolDaemon(args[1]).serve(state, args[2], Long.parseLong(args[3]), paths(args, 4));
        } catch (Exception e) {
            log("ended on " + e);
        } finally {
            // Liquibase's and the embedded server's non-daemon threads must not keep an idle JVM alive.
            System.exit(0);
        }
    }

    private void serve(Path state, String entityPackage, long starter, List<Path> entityDirectories) throws Exception {
        Thread.currentThread().setContextClassLoader(ToolDaemon.class.getClassLoader());
        // Liquibase's root scope keeps the class loader it is created with; the libraries' loader, never a run's.
        Scope.getCurrentScope();
        try (ServerSocket server = new ServerSocket(0, 50, InetAddress.getLoopbackAddress())) {
            Path properties = state.resolve(PROPERTIES);
            writeProperties(properties, server.getLocalPort());
            try {
                // The client that started this JVM ran the tool itself; the embedded cluster is free once it has ended.
                ProcessHandle.of(starter).ifPresent(client -> client.onExit().completeOnTimeout(null, 2, TimeUnit.MINUTES).join());
                ShadowDatabase.cloneAhead();
                warmUp(entityPackage, entityDirectories);
                log("serving on port " + server.getLocalPort());
                while (!stopped) {
                    server.setSoTimeout((int) IDLE.toMillis());
                    try (Socket socket = server.accept()) {
                        answer(socket);
                    } catch (SocketTimeoutException idle) {
                        log("idle for " + IDLE.toMinutes() + " minutes; ending");
                        return;
                    } catch (IOException e) {
                        log("a client went away: " + e.getMessage());
                    }
                }
                log("stopped");
            } finally {
                Files.deleteIfExists(properties);
            }
        }
    }

    private void answer(Socket socket) throws IOException {
        socket.setSoTimeout(10_000);
        DataInputStream in = new DataInputStream(socket.getInputStream());
        DataOutputStream out = new DataOutputStream(socket.getOutputStream());
        if (!MessageDigest.isEqual(token.getBytes(StandardCharsets.US_ASCII), in.readUTF().getBytes(StandardCharsets.US_ASCII))) {
            log("refused a client without the token");
            return;
        }
        if (!in.readUTF().equals(key)) {
            log("a client with another key (JDK, libraries, Keel classes or settings changed); ending");
            out.writeByte(STALE);
            out.writeInt(0);
            out.flush();
            stopped = true;
            return;
        }
        String tool = in.readUTF();
        if (!TOOLS.contains(tool)) {
            log("refused to run " + tool + ", which is not one of the tools");
            return;
        }
        String encoding = in.readUTF();
        Map<String, String> properties = new LinkedHashMap<>();
        for (int i = in.readInt(); i > 0; i--) {
            properties.put(in.readUTF(), in.readUTF());
        }
        List<Path> entityDirectories = new ArrayList<>();
        for (int i = in.readInt(); i > 0; i--) {
            entityDirectories.add(Path.of(in.readUTF()));
        }
        socket.setSoTimeout(0);
        Instant start = Instant.now();
        int status = run(tool, properties, entityDirectories, out, encoding);
        log(tool + " " + properties + " ended with " + status + " in " + Duration.between(start, Instant.now()).toMillis() + " ms");
        synchronized (out) {
            out.writeByte(EXIT);
            out.writeInt(status);
            out.flush();
        }
    }

    /** Runs a tool's {@code run()} with its output sent to the client and the entity classes loaded afresh. */
    private static int run(String tool, Map<String, String> properties, List<Path> entityDirectories, DataOutputStream client, String encoding)
            throws IOException {
        PrintStream out = System.out;
        PrintStream err = System.err;
        PrintStream toOut = new PrintStream(new Frames(client, OUT), true, encoding);
        PrintStream toErr = new PrintStream(new Frames(client, ERR), true, encoding);
        Properties before = (Properties) System.getProperties().clone();
        Thread thread = Thread.currentThread();
        try (URLClassLoader classes = entityLoader(entityDirectories)) {
            // One run at a time, so what a run sets is seen by that run alone.
            properties.forEach(System::setProperty);
            System.setOut(toOut);
            System.setErr(toErr);
            thread.setContextClassLoader(classes);
            return (Integer) Scope.child(Map.of(Scope.Attr.classLoader.name(), classes),
                    (Scope.ScopedRunnerWithReturn<Object>) () -> Class.forName(tool, true, classes).getMethod("run").invoke(null));
        } catch (Exception | LinkageError e) {
            toErr.println("The tools' warm JVM could not run " + tool + ": " + TestPostgres.rootMessage(e)
                    + System.lineSeparator() + "Run the command again with -Dkeel.tools.daemon=false to run it in a JVM of its own.");
            return 1;
        } finally {
            toOut.flush();
            toErr.flush();
            thread.setContextClassLoader(ToolDaemon.class.getClassLoader());
            System.setOut(out);
            System.setErr(err);
            System.setProperties(before);
        }
    }

    /** Does what generate and accept do, writing nothing, so that the first run it serves is a warm one. */
    private static void warmUp(String entityPackage, List<Path> entityDirectories) {
        Logger.getLogger("liquibase").setLevel(Level.OFF);
        try (URLClassLoader classes = entityLoader(entityDirectories)) {
            Project project = Project.current();
            var entities = SchemaDrift.entities(entityPackage, classes);
            String shadow = ShadowDatabase.of(project);
            try (Connection connection = TestPostgres.server().connect(shadow)) {
                GenerateChangeset.changes("warm_up", entities, connection, ShadowDatabase.snapshot(shadow, connection));
                SnapshotFiles.render(connection, TestPostgres.APP_ROLE);
            } finally {
                ShadowDatabase.drop(shadow);
            }
        } catch (Exception | LinkageError e) {
            log("warm-up incomplete, the first run will be slower: " + TestPostgres.rootMessage(e));
        }
    }

    private static URLClassLoader entityLoader(List<Path> directories) throws IOException {
        URL[] urls = new URL[directories.size()];
        for (int i = 0; i < urls.length; i++) {
            urls[i] = directories.get(i).toUri().toURL();
        }
        return new URLClassLoader("keel-tool-run", urls, ToolDaemon.class.getClassLoader());
    }

    private void writeProperties(Path file, int port) throws IOException {
        Properties properties = new Properties();
        properties.setProperty("port", Integer.toString(port));
        properties.setProperty("token", token);
        properties.setProperty("key", key);
        properties.setProperty("pid", Long.toString(ProcessHandle.current().pid()));
        Path written = Files.createTempFile(file.getParent(), PROPERTIES, ".tmp");
        try (OutputStream out = Files.newOutputStream(written)) {
            properties.store(out, "The schema tools' warm JVM; only its user may read the token");
        }
        ToolClient.ownerOnly(written);
        Files.move(written, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    }

    private static FileLock lockWithin(FileChannel channel, Duration wait) throws IOException, InterruptedException {
        Instant until = Instant.now().plus(wait);
        FileLock lock = channel.tryLock();
        while (lock == null && Instant.now().isBefore(until)) {
            // The warm JVM of an earlier key is still ending.
            Thread.sleep(100);
            lock = channel.tryLock();
        }
        return lock;
    }

    private static List<Path> paths(String[] args, int from) {
        List<Path> paths = new ArrayList<>();
        for (int i = from; i < args.length; i++) {
            paths.add(Path.of(args[i]));
        }
        return paths;
    }

    /** Its log is its standard output, which the client sends to {@value #LOG} in the state directory. */
    private static void log(String message) {
        System.out.println(Instant.now() + " " + message);
    }

    /** Writes each chunk of a run's output as one frame to the client. */
    private static final class Frames extends OutputStream {

        private final DataOutputStream client;
        private final byte type;

        Frames(DataOutputStream client, byte type) {
            this.client = client;
            this.type = type;
        }

        @Override
        public void write(int b) throws IOException {
            write(new byte[] {(byte) b}, 0, 1);
        }

        @Override
        public void write(byte[] bytes, int offset, int length) throws IOException {
            synchronized (client) {
                client.writeByte(type);
                client.writeInt(length);
                client.write(bytes, offset, length);
                client.flush();
            }
        }
    }
}
