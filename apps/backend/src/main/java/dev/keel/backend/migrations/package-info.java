/** Migration-first at runtime: refuse a database that is behind the changelog, and list applied changesets. */
package dev.keel.backend.migrations;
