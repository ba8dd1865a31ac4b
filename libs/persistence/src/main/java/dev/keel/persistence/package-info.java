/**
 * Keel's persistence library: JPA entities mapped onto the schema that the db module's changelog
 * creates, Spring Data repositories, and the DataSource built from Keel's settings. Nothing here
 * ever changes the schema.
 */
package dev.keel.persistence;
