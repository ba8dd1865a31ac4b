package dev.keel.db.liquibase;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.URI;
import java.net.URISyntaxException;
import java.net.URL;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Deque;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import liquibase.resource.ClassLoaderResourceAccessor;
import liquibase.resource.OpenOptions;
import liquibase.resource.Resource;

/**
 * Reads a changelog from the class path, as the migration jar, the service and the tests do. Liquibase's own accessor
 * resolves an include relative to a file inside a jar by pasting its name into a URI, which fails on a name that a URI
 * must escape ({@code changes/add index.xml}: "Illegal character in opaque part"). Here each file, the master and
 * every include, is looked up by its class-path path, so any name a file system allows works.
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
