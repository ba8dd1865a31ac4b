/**
 * Keel's schema tools: main code with documented entry points (generate, accept, benchmarks), run by
 * developers through the keel:* goals (libs/maven-plugin), and the checks that {@code mvn verify} runs on the changelog.
 */
package dev.keel.schema;
