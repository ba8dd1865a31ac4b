/**
 * Entities that drift from the changelog on purpose, for SchemaDriftIT: a new column (users.phone), a new
 * table with a unique key and a foreign key (widgets), a longer name (teams.name) and a nullable email (users.email).
 * Outside dev.keel.persistence, so no real entity scan ever picks them up.
 */
package dev.keel.driftfixture;
