package dev.keel.db.liquibase;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import java.nio.file.Files;
import java.nio.file.Path;
import liquibase.changelog.ChangeLogParameters;
import liquibase.parser.ChangeLogParserFactory;
import liquibase.resource.DirectoryResourceAccessor;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ChangelogParseFailuresTest {

    private static final String XML = """
            <?xml version="1.0" encoding="UTF-8"?>
            <databaseChangeLog xmlns="http://www.liquibase.org/xml/ns/dbchangelog" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance"
                xsi:schemaLocation="http://www.liquibase.org/xml/ns/dbchangelog http://www.liquibase.org/xml/ns/dbchangelog/dbchangelog-latest.xsd">
              <changeSet id="1" author="a">%s</changeSet>
            </databaseChangeLog>
            """;

    @TempDir
    Path root;

    @Test
    void namesTheIncludedFileAndLineWithoutTheExceptionChain() throws Exception {
        String message = ChangelogParseFailures.describe(parseFailure("<bogus/>"));

        assertThat(message).startsWith("db/changelog/team.xml line 4 column").contains("Invalid content was found starting with element 'bogus'")
                .doesNotContain("Exception").doesNotContain("db.changelog-master").doesNotContain("One of");
    }

    @Test
    void aMissingCustomChangeClassSaysWhereTheClassGoes() throws Exception {
        String message = ChangelogParseFailures.describe(parseFailure("<customChange class=\"org.example.TenantTask\"/>"));

        assertThat(message).isEqualTo("db/changelog/db.changelog-master.yaml, or a file it includes: class org.example.TenantTask is not on"
                + " the class path; a customChange needs the jar that holds it as a dependency of db in db/pom.xml (for the tools, the"
                + " tests and the migration jar) and of the Liquibase plugin there");
    }

    @Test
    void aYamlSyntaxErrorNamesItsFileAndLine() throws Exception {
        Files.createDirectories(root.resolve("db/changelog"));
        Files.writeString(root.resolve("db/changelog/team.yaml"), "databaseChangeLog:\n  - changeSet:\n      id: x\n      changes: [\n");

        assertThat(ChangelogParseFailures.describe(parse("team.yaml"))).isEqualTo("db/changelog/team.yaml line 5 column 1: while parsing a flow"
                + " node; expected the node content, but found '<stream end>'");

        Files.writeString(root.resolve("db/changelog/team.yaml"), "databaseChangeLog:\n  - changeSet:\n      id: x\n      author: a\n     changes: []\n");
        assertThat(ChangelogParseFailures.describe(parse("team.yaml"))).as("the place at fault, not the one it was parsing")
                .startsWith("db/changelog/team.yaml line 5 column 6: while parsing a block mapping; expected <block end>, but found");
    }

    @Test
    void aMasterWithGitsConflictMarkersSaysToRunRebase() throws Exception {
        Files.createDirectories(root.resolve("db/changelog"));
        Files.writeString(root.resolve("db/changelog/team.yaml"), "databaseChangeLog:\n<<<<<<< HEAD\n  - include: {file: a.yaml}\n=======\n"
                + "  - include: {file: b.yaml}\n>>>>>>> main\n");

        assertThat(ChangelogParseFailures.describe(parse("team.yaml"))).startsWith("db/changelog/team.yaml line")
                .endsWith("That line is one of git's conflict markers: run mvn keel:rebase, which resolves a conflict in the master and the"
                        + " released list; resolve one in any other file by hand");
    }

    private Throwable parseFailure(String change) throws Exception {
        Files.createDirectories(root.resolve("db/changelog"));
        Files.writeString(root.resolve("db/changelog/team.xml"), XML.formatted(change));
        return parse("team.xml");
    }

    private Throwable parse(String included) throws Exception {
        Files.writeString(root.resolve("db/changelog/db.changelog-master.yaml"),
                "databaseChangeLog:\n  - include: {file: " + included + ", relativeToChangelogFile: true}\n");
        DirectoryResourceAccessor accessor = new DirectoryResourceAccessor(root);
        String master = "db/changelog/db.changelog-master.yaml";
        Throwable failure = catchThrowable(() -> ChangeLogParserFactory.getInstance().getParser(master, accessor)
                .parse(master, new ChangeLogParameters(), accessor));
        assertThat(failure).isNotNull();
        return failure;
    }
}
