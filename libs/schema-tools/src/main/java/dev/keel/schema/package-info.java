/**
 * Keel's schema tools: main code with documented entry points (generate, accept, benchmarks), run by
 * developers through {@code exec:exec}, and the checks that {@code mvn verify} runs on the changelog.
 */
package dev.keel.schema;
