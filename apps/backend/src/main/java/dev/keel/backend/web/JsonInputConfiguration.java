package dev.keel.backend.web;

import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import tools.jackson.databind.module.SimpleModule;

/** How request bodies are read: strings without NUL (see {@link TextWithoutNul}). Unknown fields are refused (application.yaml). */
@Configuration(proxyBeanMethods = false)
class JsonInputConfiguration {

    @Bean
    SimpleModule textWithoutNul() {
        return new SimpleModule("text-without-nul").addDeserializer(String.class, new TextWithoutNul());
    }
}
