package dev.keel.db.liquibase;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Enumeration;
import java.util.List;
import java.util.Map;
import java.util.jar.JarEntry;
import java.util.jar.JarOutputStream;
import liquibase.Scope;
import liquibase.changelog.ChangeLogParameters;
import liquibase.changelog.ChangeSet;
import liquibase.parser.ChangeLogParserFactory;
import liquibase.resource.ResourceAccessor;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A changelog in a jar, as the migration jar and the service read it, whose included files' names need escaping in a URI. */
class ClasspathChangelogTest {

    private static final String MASTER = "in-jar/db.changelog-master.yaml";

    @TempDir
    Path folder;

    @Test
    void readsIncludedFilesWhoseNamesHaveSpacesFromAJar() throws Exception {
        Path jar = folder.resolve("changelog.jar");
        try (JarOutputStream out = new JarOutputStream(Files.newOutputStream(jar))) {
            put(out, MASTER, """
                    databaseChangeLog:
                      - include: {file: "changes/20260101000000_add index.yaml", relativeToChangelogFile: true}
                      - include: {file: "changes/20260102000000_ünïcode #1.xml", relativeToChangelogFile: true}
                    """);
            put(out, "in-jar/changes/20260101000000_add index.yaml", """
                    databaseChangeLog:
                      - changeSet: {id: add_index, author: test, changes: [{sql: {sql: SELECT 1}}]}
                      - include: {file: "../shared/seed data.yaml", relativeToChangelogFile: true}
                    """);
            put(out, "in-jar/shared/seed data.yaml", """
                    databaseChangeLog:
                      - changeSet: {id: seed, author: test, changes: [{sql: {sql: SELECT 3}}]}
                    """);
            put(out, "in-jar/changes/20260102000000_ünïcode #1.xml", """
                    <databaseChangeLog xmlns="http://www.liquibase.org/xml/ns/dbchangelog"
                            xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance"
                            xsi:schemaLocation="http://www.liquibase.org/xml/ns/dbchangelog
                                http://www.liquibase.org/xml/ns/dbchangelog/dbchangelog-latest.xsd">
                        <changeSet id="unicode" author="test"><sql>SELECT 2</sql></changeSet>
                    </databaseChangeLog>
                    """);
        }
        try (URLClassLoader inJar = new URLClassLoader(new URL[] {jar.toUri().toURL()}, null)) {
            // Not a URLClassLoader, as the application class loader of java -jar is not one either; Liquibase's XSDs
            // come from its parent.
            ClassLoader loader = new ClassLoader(ClasspathChangelogTest.class.getClassLoader()) {
                @Override
                protected URL findResource(String name) {
                    return inJar.findResource(name);
                }

                @Override
                protected Enumeration<URL> findResources(String name) throws IOException {
                    return inJar.findResources(name);
                }
            };

            assertThat(changesets(new ClasspathChangelog(loader))).containsExactly(
                    "in-jar/changes/20260101000000_add index.yaml::add_index::test",
                    "in-jar/shared/seed data.yaml::seed::test",
                    "in-jar/changes/20260102000000_ünïcode #1.xml::unicode::test");
        }
    }

    @Test
    void includesAllFilesOfAFolderWhoseNameHasASpaceFromAJarAndFromAFolder() throws Exception {
        Map<String, String> files = Map.of(
                MASTER, """
                        databaseChangeLog:
                          - changeSet: {id: first, author: test, changes: [{sql: {sql: SELECT 0}}]}
                          - includeAll: {path: "more changes/", relativeToChangelogFile: true}
                        """,
                "in-jar/more changes/002 b.yaml", "databaseChangeLog: [{changeSet: {id: b, author: test, changes: [{sql: {sql: SELECT 2}}]}}]\n",
                "in-jar/more changes/001 a.yaml", "databaseChangeLog: [{changeSet: {id: a, author: test, changes: [{sql: {sql: SELECT 1}}]}}]\n",
                "in-jar/more changes/sub dir/003 c.yaml", "databaseChangeLog: [{changeSet: {id: c, author: test, changes: [{sql: {sql: SELECT 3}}]}}]\n");
        List<String> expected = List.of("in-jar/db.changelog-master.yaml::first::test", "in-jar/more changes/001 a.yaml::a::test",
                "in-jar/more changes/002 b.yaml::b::test", "in-jar/more changes/sub dir/003 c.yaml::c::test");

        Path jar = folder.resolve("changelog.jar");
        try (JarOutputStream out = new JarOutputStream(Files.newOutputStream(jar))) {
            // With an entry for each folder, as Maven's jar plugin writes them.
            for (String directory : List.of("in-jar/", "in-jar/more changes/", "in-jar/more changes/sub dir/")) {
                out.putNextEntry(new JarEntry(directory));
                out.closeEntry();
            }
            for (Map.Entry<String, String> file : files.entrySet()) {
                put(out, file.getKey(), file.getValue());
            }
        }
        Path classes = folder.resolve("classes");
        for (Map.Entry<String, String> file : files.entrySet()) {
            Files.createDirectories(classes.resolve(file.getKey()).getParent());
            Files.writeString(classes.resolve(file.getKey()), file.getValue());
        }
        for (Path root : List.of(jar, classes)) {
            try (URLClassLoader loader = new URLClassLoader(new URL[] {root.toUri().toURL()}, ClasspathChangelogTest.class.getClassLoader())) {
                assertThat(changesets(new ClasspathChangelog(loader))).as(root.toString()).containsExactlyElementsOf(expected);
            }
        }
    }

    private static List<String> changesets(ResourceAccessor accessor) throws Exception {
        List<String> names = new ArrayList<>();
        Scope.child(Map.of(Scope.Attr.resourceAccessor.name(), accessor), () -> {
            for (ChangeSet changeSet : ChangeLogParserFactory.getInstance().getParser(MASTER, accessor)
                    .parse(MASTER, new ChangeLogParameters(), accessor).getChangeSets()) {
                names.add(changeSet.toString(false));
            }
        });
        return names;
    }

    private static void put(JarOutputStream out, String name, String text) throws IOException {
        out.putNextEntry(new JarEntry(name));
        out.write(text.getBytes(StandardCharsets.UTF_8));
        out.closeEntry();
    }
}
