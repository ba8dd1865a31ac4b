/** The users feature: /api/users, its DTOs, mapper and transactional service. */
package dev.keel.backend.users;
