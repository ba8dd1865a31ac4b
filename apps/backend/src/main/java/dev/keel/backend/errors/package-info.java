/**
 * What services throw to say, in the domain's terms, why a request cannot be done: something does not exist, conflicts
 * with the data, or names a stale version. Services never use web types; the web layer maps these to problem details.
 */
package dev.keel.backend.errors;
