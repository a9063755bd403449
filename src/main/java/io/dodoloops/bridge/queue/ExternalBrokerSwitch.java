package io.dodoloops.bridge.queue;

import java.util.Map;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.env.EnvironmentPostProcessor;
import org.springframework.core.env.ConfigurableEnvironment;
import org.springframework.core.env.MapPropertySource;

/**
 * {@code ARTEMIS_URL} set means "use that broker": Spring Boot would otherwise still start the embedded broker
 * whenever its classes are present, and its mode cannot be derived from another property in YAML. The URL may list a
 * primary/backup pair ({@code (tcp://a:61616,tcp://b:61616)?ha=true&reconnectAttempts=-1}).
 */
public class ExternalBrokerSwitch implements EnvironmentPostProcessor {

    @Override
    public void postProcessEnvironment(ConfigurableEnvironment environment, SpringApplication application) {
        String url = environment.getProperty("ARTEMIS_URL");
        if (url == null || url.isBlank()) {
            return;
        }
        environment.getPropertySources().addFirst(new MapPropertySource("bridge-external-broker", Map.of(
                "spring.artemis.mode", "native",
                "spring.artemis.broker-url", url.trim(),
                "spring.artemis.embedded.enabled", "false")));
    }
}
