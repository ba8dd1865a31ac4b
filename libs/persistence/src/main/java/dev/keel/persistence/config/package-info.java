/** Database settings, the HikariCP DataSource built from them, and the auto-configuration that registers both with the entities. */
package dev.keel.persistence.config;
