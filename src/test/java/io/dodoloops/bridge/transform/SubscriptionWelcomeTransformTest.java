package io.dodoloops.bridge.transform;

import io.dodoloops.bridge.TestSettings;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Map;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.dodoloops.bridge.loops.LoopsRequest;
import io.dodoloops.bridge.loops.TransactionalEmails;
import org.junit.jupiter.api.Test;

class SubscriptionWelcomeTransformTest {

    private final SubscriptionWelcomeTransform java = new SubscriptionWelcomeTransform();

    @Test
    void subscriptionActiveBecomesSubscriptionWelcome() {
        LoopsRequest request = java.transform(Samples.event("subscription.active"));

        assertThat(request).isEqualTo(Samples.SUBSCRIPTION_WELCOME);
    }

    @Test
    void producesExactlyWhatTheJavaScriptTransformProduces() {
        try (JavaScriptTransforms javascript = Samples.shippedTransforms(Map.of())) {
            DodoEvent sample = Samples.event("subscription.active");
            DodoEvent sparse = Samples.event("subscription.active");
            ((ObjectNode) sparse.data()).putNull("currency").put("recurring_pre_tax_amount", 1500).putNull("next_billing_date");
            ((ObjectNode) sparse.data().path("customer")).putNull("name");
            DodoEvent noCustomerId = Samples.event("subscription.active");
            ((ObjectNode) noCustomerId.data()).putNull("status").putNull("product_id");
            ((ObjectNode) noCustomerId.data().path("customer")).remove("customer_id");

            assertThat(java.transform(sample)).isEqualTo(javascript.transform(sample, "subscription_welcome.js"));
            assertThat(java.transform(sparse)).isEqualTo(javascript.transform(sparse, "subscription_welcome.js"));
            assertThat(java.transform(noCustomerId)).isEqualTo(javascript.transform(noCustomerId, "subscription_welcome.js"));
            assertThat(java.transform(noCustomerId).body()).doesNotContainKey("userId")
                    .containsEntry("subscriptionStatus", "").containsEntry("subscriptionProductId", "");
        }
    }

    @Test
    void readsTheSameTransactionalSettingAsTheJavaScriptOne() {
        TransactionalEmails configured = TransactionalEmails.of(Map.of("LOOPS_TRANSACTIONAL_SUBSCRIPTION_WELCOME", "cm_welcome"));
        try (JavaScriptTransforms javascript = new JavaScriptTransforms(TestSettings.transforms(Map.of()), configured,
                "https://app.loops.so/api")) {
            DodoEvent sample = Samples.event("subscription.active");

            LoopsRequest request = new SubscriptionWelcomeTransform(configured).transform(sample);

            assertThat(request.path()).isEqualTo(LoopsRequest.TRANSACTIONAL);
            assertThat(request.body()).containsEntry("transactionalId", "cm_welcome");
            assertThat(request).isEqualTo(javascript.transform(sample, "subscription_welcome.js"));
        }
    }

    /** Dodo sends the latest payload at delivery: the contact gets the subscription's status now, not "active". */
    @Test
    void theContactsSubscriptionComesFromThePayload() {
        DodoEvent event = Samples.event("subscription.active");
        ((ObjectNode) event.data()).put("status", "on_hold").put("next_billing_date", "2025-09-23T00:00:00Z");

        assertThat(java.transform(event).body())
                .containsEntry("userId", "cus_8VbC6JDZzPEqfBPUdpj0K")
                .containsEntry("subscriptionStatus", "on_hold")
                .containsEntry("subscriptionProductId", "pdt_RUST4raxbl0Rfe4VQi1z")
                .containsEntry("subscriptionNextBilling", "2025-09-23");
    }

    @Test
    void refusesAnEventWithoutAnAmount() {
        DodoEvent event = Samples.event("subscription.active");
        ((ObjectNode) event.data()).remove("recurring_pre_tax_amount");

        assertThatThrownBy(() -> java.transform(event))
                .isInstanceOf(TransformException.class)
                .hasMessageContaining("recurring_pre_tax_amount");
    }
}
