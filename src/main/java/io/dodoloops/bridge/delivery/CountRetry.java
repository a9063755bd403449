package io.dodoloops.bridge.delivery;

import org.apache.camel.Exchange;
import org.apache.camel.Processor;
import org.springframework.stereotype.Component;

import io.dodoloops.bridge.metrics.BridgeCounters;

/** Runs before each in-route retry of a transient Loops failure (the error policy's onRedeliveryRef). */
@Component("countRetry")
public class CountRetry implements Processor {

    private final BridgeCounters counters;

    public CountRetry(BridgeCounters counters) {
        this.counters = counters;
    }

    @Override
    public void process(Exchange exchange) {
        counters.retried();
    }
}
