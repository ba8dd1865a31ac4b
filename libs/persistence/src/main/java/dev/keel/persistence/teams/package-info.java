/** The teams and team_memberships tables: their entities and repositories. */
package dev.keel.persistence.teams;
