package dev.keel.schema.drift;

import dev.keel.schema.ToolOutput;
import java.util.List;
import liquibase.Scope;
import liquibase.exception.DatabaseException;
import liquibase.ext.hibernate.database.HibernateSpringPackageDatabase;
import org.hibernate.boot.Metadata;
import org.hibernate.boot.MetadataBuilder;
import org.hibernate.boot.MetadataSources;
import org.springframework.core.io.DefaultResourceLoader;
import org.springframework.orm.jpa.persistenceunit.PersistenceManagedTypesScanner;

/**
 * liquibase-hibernate7's model of the entities in a package, built with Hibernate's native bootstrap from the
 * classes Spring's scanner finds there, as Spring Boot finds them. The extension's own route bootstraps a JPA
 * persistence unit, which the comparison never uses, and the model is on the critical path of generate and the
 * drift check.
 */
public final class EntityModel extends HibernateSpringPackageDatabase {

    @Override
    protected Metadata buildMetadataFromPath() throws DatabaseException {
        MetadataSources sources = createMetadataSources();
        String[] packages = getHibernateConnection().getPath().split(",");
        List<String> entities = new PersistenceManagedTypesScanner(new DefaultResourceLoader(Scope.getCurrentScope().getClassLoader()))
                .scan(packages).getManagedClassNames();
        entities.forEach(sources::addAnnotatedClassName);
        MetadataBuilder metadata = sources.getMetadataBuilder();
        configureMetadataBuilder(metadata);
        Metadata built = metadata.build();
        if (built.getEntityBindings().isEmpty()) {
            // Else every comparison with the database would pass, and generate would find nothing to write. Scanned
            // classes alone do not count: a @MappedSuperclass or an @Embeddable maps no table.
            throw new ToolOutput.Refused("No @Entity class in the package " + String.join(", ", packages) + " or below it, which"
                    + " generate and the drift check read: put the entities there, or name their package for every build with a line"
                    + " -Dkeel.entity-package=<package> in .mvn/maven.config (-Dkeel.entity-package=" + SchemaDrift.NO_ENTITIES
                    + " where the tables have no JPA entities)");
        }
        return built;
    }
}
