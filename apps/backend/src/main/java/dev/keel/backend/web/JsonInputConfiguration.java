package dev.keel.backend.web;

import org.springframework.boot.jackson.autoconfigure.JsonMapperBuilderCustomizer;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import tools.jackson.core.StreamReadFeature;
import tools.jackson.databind.module.SimpleModule;

/**
 * How request bodies are read: text without NUL, and no number or boolean where text belongs (see {@link TextWithoutNul});
 * a field given twice is not valid JSON, rather than the last value winning. Unknown fields are refused (application.yaml).
 */
@Configuration(proxyBeanMethods = false)
class JsonInputConfiguration {

    @Bean
    JsonMapperBuilderCustomizer oneValuePerField() {
        return builder -> builder.enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION);
    }

    @Bean
    SimpleModule textWithoutNul() {
        return new SimpleModule("text-without-nul").addDeserializer(String.class, new TextWithoutNul());
    }
}
