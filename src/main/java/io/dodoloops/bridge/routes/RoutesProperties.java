package io.dodoloops.bridge.routes;

import java.nio.file.Path;

import org.springframework.boot.context.properties.ConfigurationProperties;

import io.dodoloops.bridge.Settings;

/**
 * bridge.routes.*. The default is in application.yaml.
 *
 * @param directory the Camel YAML routes (ROUTES_DIR), loaded at start and watched for edits
 */
@ConfigurationProperties("bridge.routes")
public record RoutesProperties(Path directory) {

    public RoutesProperties {
        Settings.require(directory != null && !directory.toString().isBlank(), "bridge.routes.directory (ROUTES_DIR) must be set");
    }
}
