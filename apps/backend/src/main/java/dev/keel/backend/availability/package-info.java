/**
 * How the service behaves while its database is away: 503 with Retry-After, readiness OUT_OF_SERVICE, one log line
 * when an outage starts and one when it ends, and recovery without a restart.
 */
package dev.keel.backend.availability;
