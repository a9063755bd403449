package io.dodoloops.bridge.delivery;

import java.nio.file.Path;

import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import org.apache.camel.CamelContext;
import org.apache.camel.cluster.CamelClusterService;
import org.apache.camel.cluster.CamelClusterView;
import org.apache.camel.support.cluster.ClusterServiceHelper;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.actuate.health.Health;
import org.springframework.boot.actuate.health.HealthIndicator;
import org.springframework.stereotype.Component;

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
    private final Path clusterDir;

    public SenderRole(CamelContext camel, MeterRegistry meters, @Value("${bridge.instance}") String instance,
                      @Value("${camel.cluster.file.root}") Path clusterDir) {
        this.camel = camel;
        this.instance = instance;
        this.clusterDir = clusterDir;
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
                .withDetail("clusterDir", clusterDir.toAbsolutePath().toString()).build();
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
