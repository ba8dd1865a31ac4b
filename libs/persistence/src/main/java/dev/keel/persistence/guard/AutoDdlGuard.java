package dev.keel.persistence.guard;

import java.util.ArrayList;
import java.util.List;
import org.springframework.boot.EnvironmentPostProcessor;
import org.springframework.boot.SpringApplication;
import org.springframework.core.Ordered;
import org.springframework.core.env.ConfigurableEnvironment;
import org.springframework.core.env.EnumerablePropertySource;
import org.springframework.core.env.PropertySource;

/**
 * Runs after every property source is loaded (environment variables, command-line arguments, system
 * properties, application and profile files) and refuses to start if any of them sets a DDL-generating
 * setting, naming the setting, its value and its source.
 */
public class AutoDdlGuard implements EnvironmentPostProcessor, Ordered {

    @Override
    public void postProcessEnvironment(ConfigurableEnvironment environment, SpringApplication application) {
        List<String> findings = new ArrayList<>();
        for (PropertySource<?> source : environment.getPropertySources()) {
            if (source instanceof EnumerablePropertySource<?> enumerable) {
                for (String key : enumerable.getPropertyNames()) {
                    Object value = enumerable.getProperty(key);
                    AutoDdlSettings.serviceProblem(key, value).ifPresent(problem ->
                            findings.add(key + "=" + value + " (from " + source.getName() + ") " + problem));
                }
            }
        }
        if (!findings.isEmpty()) {
            throw new AutoDdlException(String.join(System.lineSeparator(), findings));
        }
    }

    @Override
    public int getOrder() {
        return Ordered.LOWEST_PRECEDENCE;
    }
}
