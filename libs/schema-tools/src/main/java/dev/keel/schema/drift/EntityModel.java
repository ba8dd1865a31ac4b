package dev.keel.schema.drift;

import liquibase.exception.DatabaseException;
import liquibase.ext.hibernate.database.HibernateSpringPackageDatabase;
import org.hibernate.boot.Metadata;
import org.hibernate.dialect.Dialect;
import org.hibernate.jpa.boot.internal.EntityManagerFactoryBuilderImpl;

/**
 * liquibase-hibernate7's model of the entities in a package, built from Hibernate's mapping metadata alone. The
 * extension also starts a whole EntityManagerFactory, which the comparison never uses; that was half of the model's
 * cost, and the model is on the critical path of generate and the drift check.
 */
public final class EntityModel extends HibernateSpringPackageDatabase {

    @Override
    protected Metadata buildMetadataFromPath() throws DatabaseException {
        EntityManagerFactoryBuilderImpl builder = createEntityManagerFactoryBuilder();
        try {
            Metadata metadata = builder.metadata();
            dialect = (Dialect) Class.forName(findDialectName()).getDeclaredConstructor().newInstance();
            return metadata;
        } catch (ReflectiveOperationException e) {
            throw new DatabaseException("Cannot create the dialect " + findDialectName() + ": " + e.getMessage(), e);
        } finally {
            builder.cancel();
        }
    }
}
