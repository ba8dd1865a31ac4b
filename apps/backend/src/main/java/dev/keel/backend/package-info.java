/**
 * Keel's service: a REST API under /api, organized by feature (users, teams), over the entities of
 * the persistence library. It never changes the schema; it refuses to start on a database that is behind.
 */
package dev.keel.backend;
