package dev.keel.schema.drift;

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
        for (String entity : new PersistenceManagedTypesScanner(new DefaultResourceLoader(Scope.getCurrentScope().getClassLoader()))
                .scan(packages).getManagedClassNames()) {
            sources.addAnnotatedClassName(entity);
        }
        MetadataBuilder metadata = sources.getMetadataBuilder();
        configureMetadataBuilder(metadata);
        return metadata.build();
    }
}
