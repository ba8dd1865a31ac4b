package dev.keel.backend.availability;

import javax.sql.DataSource;
import org.springframework.context.ApplicationEventPublisher;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

@Configuration(proxyBeanMethods = false)
class AvailabilityConfiguration {

    @Bean
    DatabaseAvailability databaseAvailability(DataSource dataSource, ApplicationEventPublisher events) {
        return new DatabaseAvailability(dataSource, events);
    }
}
