package io.dodoloops.bridge;

import java.nio.file.Path;

import org.springframework.boot.context.properties.ConfigurationProperties;

/**
 * bridge.* that belong to the whole bridge. Defaults are in application.yaml.
 *
 * @param profile  production (BRIDGE_PROFILE) refuses to start without the Loops key and the webhook
 *                 secret (ProductionProfile); blank allows local mode and a generated development secret
 * @param dataDir  the embedded broker's journal, the development webhook secret, the local outbox and the welcomed
 *                 subscriptions (BRIDGE_DATA_DIR)
 * @param instance this bridge's name among several (BRIDGE_INSTANCE, else the host name: InstanceName)
 */
@ConfigurationProperties("bridge")
public record BridgeProperties(String profile, Path dataDir, String instance) {

    public BridgeProperties {
        profile = profile == null ? "" : profile.strip();
        Settings.require(profile.isEmpty() || profile.equalsIgnoreCase("production"),
                "bridge.profile (BRIDGE_PROFILE) must be 'production' or unset, was '" + profile + "'");
        Settings.require(dataDir != null && !dataDir.toString().isBlank(), "bridge.data-dir (BRIDGE_DATA_DIR) must be set");
        instance = instance == null ? "" : instance;
    }
}
