package io.dodoloops.bridge.delivery;

import java.nio.file.Path;

import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import org.apache.camel.CamelContext;
import org.apache.camel.cluster.CamelClusterService;
import org.apache.camel.cluster.CamelClusterView;
import org.apache.camel.component.file.springboot.cluster.FileLockClusterServiceConfiguration;
import org.apache.camel.support.cluster.ClusterServiceHelper;
import org.springframework.boot.actuate.health.Health;
import org.springframework.boot.actuate.health.HealthIndicator;
import org.springframework.stereotype.Component;

import io.dodoloops.bridge.BridgeProperties;

/**
 * Whether this instance is the cluster's sender: the one that runs the delivery route's consumer
 * ({@code master:bridge-sender:...} in routes/delivery.yaml), elected by Camel's file lock cluster service in
 * {@code BRIDGE_CLUSTER_DIR}. The {@code sender} health component is UP either way (a follower still accepts
 * webhooks, so readiness does not depend on it) and says which; the gauge {@code bridge_sender_leader} is 1 or 0.
 */
@Component("senderHealthIndicator")
public class SenderRole implements HealthIndicator {

    /** The master namespace of the delivery route. */
    public static final String NAMESPACE = "bridge-sender";

    private final CamelContext camel;
    private final String instance;
    private final String clusterDir;

    public SenderRole(CamelContext camel, MeterRegistry meters, BridgeProperties bridge,
                      FileLockClusterServiceConfiguration cluster) {
        this.camel = camel;
        this.instance = bridge.instance();
        this.clusterDir = Path.of(cluster.getRoot()).toAbsolutePath().toString();
        Gauge.builder("bridge_sender_leader", this, role -> role.isSender() ? 1 : 0)
                .description("1 while this instance is the cluster's sender (runs delivery), else 0").register(meters);
    }

    public boolean isSender() {
        CamelClusterView view = view();
        return view != null && view.getLocalMember().isLeader();
    }

    @Override
    public Health health() {
        // The file lock tells a follower only that another instance holds it, not which one.
        return Health.up().withDetail("instance", instance).withDetail("sender", isSender())
                .withDetail("clusterDir", clusterDir).build();
    }

    private CamelClusterView view() {
        try {
            CamelClusterService service = ClusterServiceHelper.lookupService(camel).orElse(null);
            return service == null ? null : service.getView(NAMESPACE);
        } catch (Exception notStarted) {
            return null; // before the cluster service started, or while it stops
        }
    }
}
