package dev.keel.db.liquibase;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.JarURLConnection;
import java.net.URI;
import java.net.URISyntaxException;
import java.net.URL;
import java.net.URLConnection;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Deque;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.jar.JarEntry;
import java.util.jar.JarFile;
import liquibase.resource.ClassLoaderResourceAccessor;
import liquibase.resource.OpenOptions;
import liquibase.resource.Resource;

/**
 * Reads a changelog from the class path, as the migration jar, the service and the tests do. Liquibase's own accessor
 * resolves an include relative to a file inside a jar by pasting its name into a URI, which fails on a name that a URI
 * must escape ({@code changes/add index.xml}: "Illegal character in opaque part"). Here each file, the master and
 * every include, is looked up by its class-path path, so any name a file system allows works. An {@code includeAll}
 * folder is listed the same way: Liquibase's own listing fails on a folder inside a jar whose name has a space
 * ("Cannot parse resource location").
 */
public final class ClasspathChangelog extends ClassLoaderResourceAccessor {

    private final ClassLoader classLoader;

    /** The thread's context class loader, as Liquibase's own accessor takes by default. */
    public ClasspathChangelog() {
        this(Thread.currentThread().getContextClassLoader());
    }

    public ClasspathChangelog(ClassLoader classLoader) {
        super(classLoader);
        this.classLoader = classLoader;
    }

    @Override
    public List<Resource> getAll(String path) throws IOException {
        String name = path.replace('\\', '/').replaceFirst("^classpath\\*?:", "").replaceFirst("^/+", "");
        // A class path that names a jar or folder twice finds the file twice: one file, not two of one name.
        Map<String, Resource> found = new LinkedHashMap<>();
        for (URL url : Collections.list(classLoader.getResources(name))) {
            found.putIfAbsent(url.toString(), new OnClasspath(name, url));
        }
        return found.isEmpty() ? null : new ArrayList<>(found.values());
    }

    @Override
    public List<Resource> search(String path, SearchOptions options) throws IOException {
        String folder = path.replace('\\', '/').replaceFirst("^classpath\\*?:", "").replaceFirst("^/+", "").replaceFirst("/+$", "");
        List<URL> roots = Collections.list(classLoader.getResources(folder + "/"));
        if (roots.isEmpty()) {
            // A jar without entries for its folders cannot be listed by name: Liquibase's listing still can.
            return super.search(path, options);
        }
        Map<String, Resource> found = new LinkedHashMap<>();
        for (URL root : roots) {
            for (String file : filesUnder(root, folder)) {
                String below = file.substring(folder.length() + 1);
                int depth = below.split("/").length;
                boolean wanted = depth <= options.getMaxDepth() && depth - 1 >= options.getMinDepth()
                        && (!options.endsWithFilterIsSet() || file.toLowerCase().endsWith(options.getEndsWithFilter().toLowerCase()));
                URL url = classLoader.getResource(file);
                if (wanted && url != null) {
                    found.putIfAbsent(file, new OnClasspath(file, url));
                }
            }
        }
        return new ArrayList<>(found.values());
    }

    @Override
    public List<Resource> search(String path, boolean recursive) throws IOException {
        SearchOptions options = new SearchOptions();
        options.setRecursive(recursive);
        return search(path, options);
    }

    /** The class-path paths of the files in {@code folder}, at any depth, in the folder or jar {@code root} names. */
    private static List<String> filesUnder(URL root, String folder) throws IOException {
        List<String> files = new ArrayList<>();
        if (root.getProtocol().equals("file")) {
            Path directory;
            try {
                directory = Path.of(root.toURI());
            } catch (URISyntaxException e) {
                throw new IOException(root + " is not a URI: " + e.getMessage(), e);
            }
            try (Stream<Path> walk = Files.walk(directory)) {
                walk.filter(Files::isRegularFile).forEach(file -> files.add(folder + "/" + directory.relativize(file).toString().replace('\\', '/')));
            }
            return files;
        }
        URLConnection connection = root.openConnection();
        if (!(connection instanceof JarURLConnection jar)) {
            throw new IOException("cannot list " + root + ": neither a folder nor a jar");
        }
        jar.setUseCaches(false);
        try (JarFile file = jar.getJarFile()) {
            for (JarEntry entry : Collections.list(file.entries())) {
                if (!entry.isDirectory() && entry.getName().startsWith(folder + "/")) {
                    files.add(entry.getName());
                }
            }
        }
        return files;
    }

    /** {@code other} relative to the folder {@code folder}, with {@code .} and {@code ..} resolved. */
    static String relative(String folder, String other) {
        Deque<String> parts = new ArrayDeque<>();
        for (String part : (folder.isEmpty() ? other : folder + "/" + other).replace('\\', '/').split("/")) {
            if (part.equals("..") && !parts.isEmpty() && !parts.peekLast().equals("..")) {
                parts.removeLast();
            } else if (!part.isEmpty() && !part.equals(".")) {
                parts.addLast(part);
            }
        }
        return String.join("/", parts);
    }

    /** A file on the class path, named by its path there; its relatives are looked up by path too. */
    private final class OnClasspath implements Resource {

        private final String path;
        private final URL url;

        OnClasspath(String path, URL url) {
            this.path = path;
            this.url = url;
        }

        @Override
        public String getPath() {
            return path;
        }

        @Override
        public InputStream openInputStream() throws IOException {
            return url.openStream();
        }

        @Override
        public boolean exists() {
            return true;
        }

        @Override
        public boolean isWritable() {
            return false;
        }

        @Override
        public Resource resolve(String other) {
            return find(relative(path, other));
        }

        @Override
        public Resource resolveSibling(String other) {
            int slash = path.lastIndexOf('/');
            return find(relative(slash < 0 ? "" : path.substring(0, slash), other));
        }

        private Resource find(String relative) {
            try {
                return get(relative);
            } catch (IOException e) {
                throw new IllegalStateException("cannot read " + relative + " from the class path: " + e.getMessage(), e);
            }
        }

        @Override
        public OutputStream openOutputStream(OpenOptions options) throws IOException {
            throw new IOException(path + " is on the class path, which is read-only");
        }

        @Override
        public URI getUri() {
            try {
                return url.toURI();
            } catch (URISyntaxException e) {
                throw new IllegalStateException(url + " is not a URI: " + e.getMessage(), e);
            }
        }

        @Override
        public boolean equals(Object other) {
            return other instanceof OnClasspath resource && resource.url.toString().equals(url.toString()) && resource.path.equals(path);
        }

        @Override
        public int hashCode() {
            return path.hashCode();
        }

        @Override
        public String toString() {
            return path;
        }
    }
}
