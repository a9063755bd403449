package io.dodoloops.bridge.metrics;

import io.micrometer.core.instrument.MeterRegistry;
import org.springframework.boot.actuate.autoconfigure.metrics.MeterRegistryCustomizer;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

import io.dodoloops.bridge.BridgeProperties;

/**
 * This bridge's name among several ({@code bridge.instance}: {@code BRIDGE_INSTANCE}, default the host name, see
 * {@link io.dodoloops.bridge.InstanceName}; the pod name on Kubernetes), put
 * on every meter as the tag {@value #TAG}. Not {@code instance}: Prometheus sets that label itself on every scraped
 * series (the target's host:port) and, by default, renames a scraped {@code instance} to {@code exported_instance}.
 */
@Configuration(proxyBeanMethods = false)
public class BridgeInstance {

    public static final String TAG = "bridge_instance";

    private final String name;

    public BridgeInstance(BridgeProperties bridge) {
        this.name = bridge.instance();
    }

    public String name() {
        return name;
    }

    /** Applied to each registry before any meter is bound, so Camel's, the JVM's and Tomcat's meters carry it too. */
    @Bean
    MeterRegistryCustomizer<MeterRegistry> bridgeInstanceTag() {
        return registry -> registry.config().commonTags(TAG, name);
    }
}
