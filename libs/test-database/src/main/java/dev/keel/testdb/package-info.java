/**
 * Real PostgreSQL for tests and for the schema tools' shadow databases: finds a server (TEST_DB_URL,
 * Testcontainers, embedded), builds a template from the changelog once per JVM, and hands out clones.
 * Main code, used by other modules at test scope; it never touches the developer's database.
 */
package dev.keel.testdb;
