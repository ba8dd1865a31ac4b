/** The teams feature: /api/teams and team members, their DTOs, mappers and transactional services. */
package dev.keel.backend.teams;
