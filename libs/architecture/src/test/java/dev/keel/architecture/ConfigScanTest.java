package dev.keel.architecture;

import static org.assertj.core.api.Assertions.assertThat;

import dev.keel.db.settings.Settings;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ConfigScanTest {

    @TempDir
    Path planted;

    @Test
    void noConfigurationFileOfTheRepositoryEnablesAutoDdl() {
        List<ConfigScan.Finding> findings = ConfigScan.scan(Settings.root());

        assertThat(findings).as("DDL-generating settings in configuration files:%n%s",
                String.join(System.lineSeparator(), findings.stream().map(Object::toString).toList())).isEmpty();
    }

    @Test
    void findsPlantedSettingsInEveryKindOfFileAndSpelling() throws IOException {
        write("apps/shop/src/main/resources/application-dev.properties", """
                # copied from a tutorial
                spring.jpa.hibernate.ddlAuto=update
                spring.jpa.hibernate.ddl-auto=validate
                """);
        write("apps/shop/src/test/resources/application-it.yaml", """
                spring:
                  jpa:
                    properties:
                      hibernate:
                        hbm2ddl:
                          auto: create
                  sql:
                    init:
                      mode: always
                ---
                spring:
                  liquibase:
                    enabled: true
                """);
        write(".env.local", "SPRING_JPA_HIBERNATE_DDL_AUTO=create\nDB_NAME=keel\n");
        write(".github/workflows/deploy.yml", """
                jobs:
                  deploy:
                    env:
                      SPRING_JPA_GENERATE_DDL: "true"
                    steps:
                      - run: mvn verify -Djakarta.persistence.schema-generation.database.action=drop-and-create
                """);
        write("db/src/main/resources/liquibase.properties", "spring.liquibase.enabled=true\n");
        write("apps/shop/target/classes/application.properties", "spring.jpa.hibernate.ddl-auto=create\n");

        assertThat(ConfigScan.scan(planted)).extracting(Object::toString).containsExactly(
                ".env.local:1: SPRING_JPA_HIBERNATE_DDL_AUTO=create lets the ORM generate DDL; only none, validate or false are allowed,"
                        + " because the db module's changelog owns the schema",
                ".github/workflows/deploy.yml:4: jobs.deploy.env.SPRING_JPA_GENERATE_DDL=true lets the ORM generate DDL; only none,"
                        + " validate or false are allowed, because the db module's changelog owns the schema",
                ".github/workflows/deploy.yml:6: jakarta.persistence.schema-generation.database.action=drop-and-create lets the ORM"
                        + " generate DDL; only none, validate or false are allowed, because the db module's changelog owns the schema",
                "apps/shop/src/main/resources/application-dev.properties:2: spring.jpa.hibernate.ddlAuto=update lets the ORM generate DDL;"
                        + " only none, validate or false are allowed, because the db module's changelog owns the schema",
                "apps/shop/src/test/resources/application-it.yaml:6: spring.jpa.properties.hibernate.hbm2ddl.auto=create lets the ORM"
                        + " generate DDL; only none, validate or false are allowed, because the db module's changelog owns the schema",
                "apps/shop/src/test/resources/application-it.yaml:9: spring.sql.init.mode=always runs SQL scripts against the database"
                        + " at start-up; schema changes go through the changelog",
                "apps/shop/src/test/resources/application-it.yaml:13: spring.liquibase.enabled=true would run migrations at start-up;"
                        + " the service never migrates, `mvn -pl db liquibase:update` does");
    }

    private void write(String relative, String content) throws IOException {
        Path file = planted.resolve(relative);
        Files.createDirectories(file.getParent());
        Files.writeString(file, content);
    }
}
