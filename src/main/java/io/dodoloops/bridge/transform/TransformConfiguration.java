package io.dodoloops.bridge.transform;

import java.util.Map;

import io.dodoloops.bridge.edits.DirectoryHealth;
import org.springframework.boot.actuate.health.HealthIndicator;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/** The {@code transforms} health; the transform beans are plain components. */
@Configuration(proxyBeanMethods = false)
public class TransformConfiguration {

    /** Health component {@code transforms}: DOWN while a script has a problem, UP with the loaded {@code scripts}. */
    @Bean
    HealthIndicator transformsHealthIndicator(JavaScriptTransforms transforms) {
        return new DirectoryHealth(transforms.files(), () -> Map.of("scripts", transforms.loadedScripts()));
    }
}
