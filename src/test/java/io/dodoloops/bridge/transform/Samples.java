package io.dodoloops.bridge.transform;

import io.dodoloops.bridge.TestSettings;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.Map;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.dodoloops.bridge.loops.LoopsRequest;

/** The sample Dodo webhooks in {@code src/main/resources/samples/dodo/}, as the route hands them to transforms. */
final class Samples {

    private static final ObjectMapper JSON = new ObjectMapper();

    /** What both subscription_welcome transforms (JavaScript and Java) must make of subscription.active.json. */
    static final LoopsRequest SUBSCRIPTION_WELCOME = LoopsRequest.event(Map.of(
            "eventName", "subscription_welcome",
            "email", "test@acme.com",
            "userId", "cus_8VbC6JDZzPEqfBPUdpj0K",
            "subscriptionStatus", "active",
            "subscriptionProductId", "pdt_RUST4raxbl0Rfe4VQi1z",
            "subscriptionNextBilling", "2025-08-23",
            "eventProperties", Map.of(
                    "customer_name", "Test user",
                    "subscription_id", "sub_7EeHq2ewQuadropD2ra",
                    "product_id", "pdt_RUST4raxbl0Rfe4VQi1z",
                    "amount", "10.00",
                    "frequency", "Month",
                    "next_billing", "2025-08-23")));

    private Samples() {
    }

    static DodoEvent event(String type) {
        try {
            JsonNode envelope = JSON.readTree(Path.of("src/main/resources/samples/dodo", type + ".json").toFile());
            return new DodoEvent("msg_" + type, envelope.path("type").asText(), envelope);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The shipped scripts in {@code transforms/}, talking to the production Loops base URL. */
    static JavaScriptTransforms shippedTransforms(Map<String, String> env) {
        Map<String, Object> settings = new java.util.HashMap<>();
        env.forEach((name, value) -> settings.put("bridge.transforms.env." + name, value));
        return new JavaScriptTransforms(TestSettings.transforms(settings), "https://app.loops.so/api");
    }
}
