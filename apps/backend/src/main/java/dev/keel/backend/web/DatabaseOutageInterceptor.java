package dev.keel.backend.web;

import dev.keel.backend.availability.DatabaseAvailability;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import org.springframework.context.annotation.Configuration;
import org.springframework.dao.DataAccessResourceFailureException;
import org.springframework.web.servlet.HandlerInterceptor;
import org.springframework.web.servlet.config.annotation.InterceptorRegistry;
import org.springframework.web.servlet.config.annotation.WebMvcConfigurer;

/** While the database is known to be away, an API request is answered 503 at once rather than after the pool's timeout. */
@Configuration(proxyBeanMethods = false)
class DatabaseOutageInterceptor implements HandlerInterceptor, WebMvcConfigurer {

    private final DatabaseAvailability availability;

    DatabaseOutageInterceptor(DatabaseAvailability availability) {
        this.availability = availability;
    }

    @Override
    public void addInterceptors(InterceptorRegistry registry) {
        registry.addInterceptor(this).addPathPatterns("/api/**");
    }

    @Override
    public boolean preHandle(HttpServletRequest request, HttpServletResponse response, Object handler) {
        if (availability.isDown()) {
            throw new DataAccessResourceFailureException("the database is unreachable (outage in progress)");
        }
        return true;
    }
}
