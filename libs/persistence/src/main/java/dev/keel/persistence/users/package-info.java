/** The users table: its entity and repository. */
package dev.keel.persistence.users;
