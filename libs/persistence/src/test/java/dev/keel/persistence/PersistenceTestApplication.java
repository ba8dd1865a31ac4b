package dev.keel.persistence;

import org.springframework.boot.SpringBootConfiguration;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;

/** The configuration that slice tests of this library start from; the library itself has no application. */
@SpringBootConfiguration
@EnableAutoConfiguration
class PersistenceTestApplication {
}
