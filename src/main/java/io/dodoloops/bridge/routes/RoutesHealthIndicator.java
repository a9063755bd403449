package io.dodoloops.bridge.routes;

import java.util.Map;

import org.springframework.boot.actuate.health.Health;
import org.springframework.boot.actuate.health.HealthIndicator;
import org.springframework.stereotype.Component;

/** Health component "routes": DOWN, with file and reason, while an edit of a route file is refused. */
@Component("routesHealthIndicator")
public class RoutesHealthIndicator implements HealthIndicator {

    private final RouteFiles routeFiles;

    public RoutesHealthIndicator(RouteFiles routeFiles) {
        this.routeFiles = routeFiles;
    }

    @Override
    public Health health() {
        Map<String, String> problems = routeFiles.problems();
        return problems.isEmpty() ? Health.up().build() : Health.down().withDetails(problems).build();
    }
}
