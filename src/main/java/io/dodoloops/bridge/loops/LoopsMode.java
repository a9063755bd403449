package io.dodoloops.bridge.loops;

import java.nio.file.Path;

import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.binder.MeterBinder;
import jakarta.annotation.PostConstruct;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.jmx.export.annotation.ManagedAttribute;
import org.springframework.jmx.export.annotation.ManagedResource;
import org.springframework.stereotype.Component;

import io.dodoloops.bridge.BridgeProperties;

/**
 * Without a Loops API key the bridge runs in local mode: it records what it would send instead of sending. That is
 * the right default for trying the bridge, and a silent disaster in production, so it is loud: a warning at start,
 * the {@code loops} health component, the gauge {@code bridge.loops.local.mode} and JMX
 * {@code io.dodoloops.bridge:type=LoopsMode}; the production profile refuses it (ProductionProfile).
 */
@Component("loops")
@ManagedResource(objectName = "io.dodoloops.bridge:type=LoopsMode", description = "Whether Loops requests are sent or recorded")
public class LoopsMode implements MeterBinder {

    private static final Logger LOG = LoggerFactory.getLogger(LoopsMode.class);
    private final boolean local;
    private final String baseUrl;
    private final Path outbox;

    public LoopsMode(LoopsProperties loops, BridgeProperties bridge) {
        this.local = loops.localMode();
        this.baseUrl = loops.base();
        this.outbox = LocalOutbox.file(bridge.dataDir());
    }

    public boolean localMode() {
        return local;
    }

    // Not isLocalMode(): Camel would find two methods for the route's "localMode".
    @ManagedAttribute(description = "true: no LOOPS_API_KEY, requests are written to the local outbox and not sent")
    public boolean isLocal() {
        return local;
    }

    @ManagedAttribute(description = "local (written to the outbox) or loops (sent), as in the loops health component")
    public String getMode() {
        return local ? "local" : "loops";
    }

    public String baseUrl() {
        return baseUrl;
    }

    public Path outbox() {
        return outbox;
    }

    @Override
    public void bindTo(MeterRegistry meters) {
        Gauge.builder("bridge.loops.local.mode", this, mode -> mode.local ? 1 : 0)
                .description("1: local mode, Loops requests are written to the outbox, not sent; 0: sent to Loops")
                .register(meters);
    }

    @PostConstruct
    void announce() {
        if (local) {
            LOG.warn("LOOPS_API_KEY is not set: local mode, Loops requests are written to {} instead of being sent "
                    + "(send them later with: java -jar <jar> outbox send)", outbox);
        } else {
            LOG.info("Sending Loops requests to {}", baseUrl);
        }
    }
}
