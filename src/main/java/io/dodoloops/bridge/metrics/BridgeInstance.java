package io.dodoloops.bridge.metrics;

import java.net.InetAddress;
import java.net.UnknownHostException;

import io.micrometer.core.instrument.MeterRegistry;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.actuate.autoconfigure.metrics.MeterRegistryCustomizer;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * This bridge's name among several ({@code BRIDGE_INSTANCE}, default the host name: the pod name on Kubernetes), put
 * on every meter as the tag {@value #TAG}. Not {@code instance}: Prometheus sets that label itself on every scraped
 * series (the target's host:port) and, by default, renames a scraped {@code instance} to {@code exported_instance}.
 */
@Configuration(proxyBeanMethods = false)
public class BridgeInstance {

    public static final String TAG = "bridge_instance";
    private static final Logger LOG = LoggerFactory.getLogger(BridgeInstance.class);

    private final String name;

    public BridgeInstance(@Value("${bridge.instance:}") String configured) {
        boolean given = !configured.isBlank();
        this.name = given ? configured.strip() : hostName();
        LOG.info("Bridge instance {} ({})", name, given ? "BRIDGE_INSTANCE" : "host name; set BRIDGE_INSTANCE to name it");
    }

    public String name() {
        return name;
    }

    /** Applied to each registry before any meter is bound, so Camel's, the JVM's and Tomcat's meters carry it too. */
    @Bean
    MeterRegistryCustomizer<MeterRegistry> bridgeInstanceTag() {
        return registry -> registry.config().commonTags(TAG, name);
    }

    static String hostName() {
        try {
            return InetAddress.getLocalHost().getHostName();
        } catch (UnknownHostException unresolvable) {
            // The host name is known but does not resolve (no /etc/hosts entry); containers export it as HOSTNAME.
            String env = System.getenv("HOSTNAME");
            return env == null || env.isBlank() ? "localhost" : env;
        }
    }
}
