package io.dodoloops.bridge.routes;

import io.dodoloops.bridge.edits.DirectoryHealth;
import org.springframework.boot.actuate.health.HealthIndicator;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/** The {@code routes} health; {@link RouteFiles} itself is a plain component. */
@Configuration(proxyBeanMethods = false)
public class RoutesConfiguration {

    /** Health component {@code routes}: DOWN while the last edit of a route file was refused. */
    @Bean
    HealthIndicator routesHealthIndicator(RouteFiles routes) {
        return new DirectoryHealth(routes.files());
    }
}
