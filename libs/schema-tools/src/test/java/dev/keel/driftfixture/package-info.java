/**
 * Entities that drift on purpose from {@link dev.keel.schema.testing.FixtureProject}'s changelog, for the drift and
 * generate tests: a new column, a new table with a unique key, a time and foreign keys, a longer and now unique name,
 * an optional parent, and a new reference from an existing table. Outside dev.keel.persistence, so no real scan sees them.
 */
package dev.keel.driftfixture;
