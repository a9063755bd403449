package io.dodoloops.bridge.metrics;

import io.micrometer.core.instrument.MeterRegistry;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.actuate.autoconfigure.metrics.MeterRegistryCustomizer;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * This bridge's name among several ({@code bridge.instance}: {@code BRIDGE_INSTANCE}, default the host name, see
 * {@link io.dodoloops.bridge.InstanceName}; the pod name on Kubernetes), put
 * on every meter as the tag {@value #TAG}. Not {@code instance}: Prometheus sets that label itself on every scraped
 * series (the target's host:port) and, by default, renames a scraped {@code instance} to {@code exported_instance}.
 */
@Configuration(proxyBeanMethods = false)
public class BridgeInstance {

    public static final String TAG = "bridge_instance";
    private static final Logger LOG = LoggerFactory.getLogger(BridgeInstance.class);

    private final String name;

    public BridgeInstance(@Value("${bridge.instance}") String name, @Value("${BRIDGE_INSTANCE:}") String configured) {
        this.name = name;
        LOG.info("Bridge instance {} ({})", name, configured.isBlank() ? "host name; set BRIDGE_INSTANCE to name it" : "BRIDGE_INSTANCE");
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
