package io.dodoloops.bridge.welcome;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.UUID;

import io.dodoloops.bridge.LoopsStandIn;
import io.dodoloops.bridge.tryit.SendSample;

import static org.assertj.core.api.Assertions.assertThat;

/** Dodo's sample subscription events for a subscription of the test's own, and what Loops got about it. */
final class SubscriptionEvents {

    private static final String SAMPLE_SUBSCRIPTION_ID = "sub_7EeHq2ewQuadropD2ra";

    private SubscriptionEvents() {
    }

    static String newSubscriptionId() {
        return "sub_" + UUID.randomUUID().toString().replace("-", "");
    }

    /** Dodo's sample subscription.active with this subscription's id, as another event type if asked. */
    static byte[] event(String type, String subscriptionId) {
        String sample;
        try {
            sample = new String(SendSample.sample("subscription.active"), StandardCharsets.UTF_8)
                    .replace(SAMPLE_SUBSCRIPTION_ID, subscriptionId);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        if (!type.equals("subscription.active")) {
            sample = sample.replace("\"type\": \"subscription.active\"", "\"type\": \"" + type + "\"")
                    .replace("\"status\": \"active\"", "\"status\": \"on_hold\"");
            assertThat(sample).contains("\"type\": \"" + type + "\"");
        }
        return sample.getBytes(StandardCharsets.UTF_8);
    }

    /** The eventNames of the requests Loops got about this subscription, in order. */
    static List<String> eventNames(LoopsStandIn loops, String subscriptionId) {
        return loops.requests().stream().filter(r -> r.body().contains(subscriptionId)).map(SubscriptionEvents::eventName).toList();
    }

    static String eventName(LoopsStandIn.Request request) {
        return request.json().path("eventName").asText();
    }
}
