/** Cross-cutting web concerns: RFC 9457 problem details for every error, paging and version (ETag) handling. */
package dev.keel.backend.web;
