/**
 * Keeps the ORM away from the schema at runtime: refuses to start an application in which any setting,
 * from any source, would let Hibernate or JPA generate DDL.
 */
package dev.keel.persistence.guard;
