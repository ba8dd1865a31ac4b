/** What the tables of users and teams share: an identity key, timestamps and a version for optimistic locking. */
package dev.keel.persistence.common;
