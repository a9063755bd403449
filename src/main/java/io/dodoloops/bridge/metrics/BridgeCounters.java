package io.dodoloops.bridge.metrics;

import java.time.Duration;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.LongAdder;

import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.binder.MeterBinder;
import org.springframework.jmx.export.annotation.ManagedAttribute;
import org.springframework.jmx.export.annotation.ManagedResource;
import org.springframework.stereotype.Component;

/**
 * What happened to webhooks since start-up, in one place: readable over JMX as {@code io.dodoloops.bridge:type=Counters}
 * and scraped by Prometheus as {@code bridge_webhooks_*}, {@code bridge_delivery_latency_seconds} and
 * {@code bridge_loops_responses_total}.
 */
@Component
@ManagedResource(objectName = "io.dodoloops.bridge:type=Counters", description = "Webhook counters since start-up")
public class BridgeCounters implements MeterBinder {

    /** Why a request was refused at the webhook endpoint. */
    public enum Rejection { SIGNATURE, TIMESTAMP, MALFORMED, TOO_LARGE, TOO_SLOW, BUSY, METHOD }

    private final LongAdder received = new LongAdder();
    private final LongAdder accepted = new LongAdder();
    private final LongAdder duplicates = new LongAdder();
    private final LongAdder delivered = new LongAdder();
    private final LongAdder retried = new LongAdder();
    private final LongAdder deadLettered = new LongAdder();
    private final LongAdder conflictsOnFirstAttempt = new LongAdder();
    private final Map<Rejection, LongAdder> rejected = new ConcurrentHashMap<>();
    private final Map<String, LongAdder> ignored = new ConcurrentHashMap<>();
    private final Map<Integer, LongAdder> loopsResponses = new ConcurrentHashMap<>();
    private volatile MeterRegistry registry;
    private volatile Timer latency;

    @Override
    public void bindTo(MeterRegistry meters) {
        registry = meters;
        counter(meters, "received", received, "requests at the webhook endpoint");
        counter(meters, "accepted", accepted, "webhooks stored and answered 202");
        counter(meters, "duplicates", duplicates, "webhook ids already stored (Dodo retries), answered 202");
        counter(meters, "delivered", delivered, "webhooks Loops accepted (2xx, or 409 on our own key)");
        counter(meters, "retried", retried, "retries of a transient Loops failure");
        counter(meters, "dead.lettered", deadLettered, "webhooks put in the dead-letter queue");
        counter(meters, "conflicts.first.attempt", conflictsOnFirstAttempt,
                "Loops 409 on the first attempt with a key: Loops had the key from something else");
        for (Rejection reason : Rejection.values()) {
            FunctionCounter.builder("bridge.webhooks.rejected", adder(rejected, reason), LongAdder::doubleValue)
                    .tag("reason", reason.name().toLowerCase()).description("requests refused").register(meters);
        }
        ignored.forEach((type, count) -> registerIgnored(type, count));
        loopsResponses.forEach((status, count) -> registerLoopsResponse(status, count));
        latency = Timer.builder("bridge.delivery.latency").description("from receipt of the webhook to Loops' answer")
                .publishPercentiles(0.5, 0.9, 0.99).register(meters);
    }

    public void received() {
        received.increment();
    }

    public void rejected(Rejection reason) {
        adder(rejected, reason).increment();
    }

    public void accepted() {
        accepted.increment();
    }

    public void duplicate() {
        duplicates.increment();
    }

    /** Sent (or already sent), {@code sinceReceipt} after the bridge took the webhook in. */
    public void delivered(Duration sinceReceipt) {
        delivered.increment();
        Timer timer = latency;
        if (timer != null && sinceReceipt != null) {
            timer.record(sinceReceipt);
        }
    }

    /** Acknowledged without sending: no transform for the event type, or the transform cancelled it. */
    public void ignored(String eventType) {
        ignored.computeIfAbsent(String.valueOf(eventType), type -> {
            LongAdder count = new LongAdder();
            registerIgnored(type, count);
            return count;
        }).increment();
    }

    public void retried() {
        retried.increment();
    }

    public void deadLettered() {
        deadLettered.increment();
    }

    /** Loops answered 409 to a key this bridge had never sent (counted as delivered too). */
    public void conflictOnFirstAttempt() {
        conflictsOnFirstAttempt.increment();
    }

    public void loopsResponse(int status) {
        loopsResponses.computeIfAbsent(status, code -> {
            LongAdder count = new LongAdder();
            registerLoopsResponse(code, count);
            return count;
        }).increment();
    }

    @ManagedAttribute(description = "Requests at the webhook endpoint")
    public long getReceived() {
        return received.sum();
    }

    @ManagedAttribute(description = "Webhooks stored and answered 202")
    public long getAccepted() {
        return accepted.sum();
    }

    @ManagedAttribute(description = "Webhook ids already stored (Dodo retries), answered 202 and not stored again")
    public long getDuplicates() {
        return duplicates.sum();
    }

    @ManagedAttribute(description = "Requests refused: bad or missing signature")
    public long getRejectedSignature() {
        return adder(rejected, Rejection.SIGNATURE).sum();
    }

    @ManagedAttribute(description = "Requests refused: webhook-timestamp missing, malformed or outside the tolerance")
    public long getRejectedTimestamp() {
        return adder(rejected, Rejection.TIMESTAMP).sum();
    }

    @ManagedAttribute(description = "Requests refused: body not a Dodo envelope")
    public long getRejectedMalformed() {
        return adder(rejected, Rejection.MALFORMED).sum();
    }

    @ManagedAttribute(description = "Requests refused: body over the size limit")
    public long getRejectedTooLarge() {
        return adder(rejected, Rejection.TOO_LARGE).sum();
    }

    @ManagedAttribute(description = "Requests refused: not a POST")
    public long getRejectedMethod() {
        return adder(rejected, Rejection.METHOD).sum();
    }

    @ManagedAttribute(description = "Webhooks Loops accepted")
    public long getDelivered() {
        return delivered.sum();
    }

    @ManagedAttribute(description = "Webhooks acknowledged without sending")
    public long getIgnored() {
        return ignored.values().stream().mapToLong(LongAdder::sum).sum();
    }

    @ManagedAttribute(description = "Webhooks acknowledged without sending, by event type")
    public Map<String, Long> getIgnoredByEventType() {
        Map<String, Long> byType = new TreeMap<>();
        ignored.forEach((type, count) -> byType.put(type, count.sum()));
        return byType;
    }

    @ManagedAttribute(description = "Retries of a transient Loops failure")
    public long getRetried() {
        return retried.sum();
    }

    @ManagedAttribute(description = "Webhooks put in the dead-letter queue")
    public long getDeadLettered() {
        return deadLettered.sum();
    }

    @ManagedAttribute(description = "Loops 409s on the first attempt with a key: Loops had the key from something else")
    public long getConflictsOnFirstAttempt() {
        return conflictsOnFirstAttempt.sum();
    }

    @ManagedAttribute(description = "Loops answers by HTTP status")
    public Map<Integer, Long> getLoopsResponses() {
        Map<Integer, Long> byStatus = new TreeMap<>();
        loopsResponses.forEach((status, count) -> byStatus.put(status, count.sum()));
        return byStatus;
    }

    private void registerIgnored(String type, LongAdder count) {
        MeterRegistry meters = registry;
        if (meters != null) {
            FunctionCounter.builder("bridge.webhooks.ignored", count, LongAdder::doubleValue).tag("event_type", type)
                    .description("webhooks acknowledged without sending").register(meters);
        }
    }

    private void registerLoopsResponse(int status, LongAdder count) {
        MeterRegistry meters = registry;
        if (meters != null) {
            FunctionCounter.builder("bridge.loops.responses", count, LongAdder::doubleValue)
                    .tag("status", Integer.toString(status)).description("Loops answers by HTTP status").register(meters);
        }
    }

    private static void counter(MeterRegistry meters, String name, LongAdder value, String description) {
        FunctionCounter.builder("bridge.webhooks." + name, value, LongAdder::doubleValue).description(description).register(meters);
    }

    private static <K> LongAdder adder(Map<K, LongAdder> counts, K key) {
        return counts.computeIfAbsent(key, k -> new LongAdder());
    }
}
