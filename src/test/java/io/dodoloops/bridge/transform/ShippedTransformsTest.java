package io.dodoloops.bridge.transform;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Map;

import io.dodoloops.bridge.loops.LoopsRequest;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The scripts in {@code transforms/} on the sample webhooks, exactly as the route runs them. */
class ShippedTransformsTest {

    private JavaScriptTransforms transforms = Samples.shippedTransforms(Map.of());

    @AfterEach
    void close() {
        transforms.close();
    }

    @Test
    void paymentSucceededBecomesPaymentConfirmation() {
        LoopsRequest request = transforms.transform(Samples.event("payment.succeeded"), "payment_confirmation.js");

        assertThat(request.path()).isEqualTo(LoopsRequest.EVENTS_SEND);
        assertThat(request.body()).isEqualTo(Map.of(
                "eventName", "payment_confirmation",
                "email", "test@acme.com",
                "eventProperties", Map.of(
                        "customer_name", "Test user",
                        "payment_id", "pay_2IjeQm4hqU6RA4Z4kwDee",
                        "amount", "4.00",
                        "currency", "USD",
                        "payment_method", "card",
                        "payment_date", "2025-08-04")));
    }

    @Test
    void paymentConfirmationFillsInWhatDodoLeavesOut() {
        DodoEvent event = Samples.event("payment.succeeded");
        var data = (com.fasterxml.jackson.databind.node.ObjectNode) event.data();
        data.putNull("payment_method");
        data.putNull("currency");

        Map<?, ?> properties = (Map<?, ?>) transforms.transform(event, "payment_confirmation.js").body().get("eventProperties");

        assertThat(properties.get("payment_method")).isEqualTo("unknown");
        assertThat(properties.get("currency")).isEqualTo("USD");
    }

    @Test
    void amountsUseTheCurrencysDecimals() {
        DodoEvent event = Samples.event("payment.succeeded");
        var data = (com.fasterxml.jackson.databind.node.ObjectNode) event.data();
        data.put("currency", "JPY");
        data.put("total_amount", 1500);

        Map<?, ?> properties = (Map<?, ?>) transforms.transform(event, "payment_confirmation.js").body().get("eventProperties");

        assertThat(properties.get("amount")).isEqualTo("1500");
    }

    @Test
    void subscriptionActiveBecomesSubscriptionWelcome() {
        LoopsRequest request = transforms.transform(Samples.event("subscription.active"), "subscription_welcome.js");

        assertThat(request).isEqualTo(Samples.SUBSCRIPTION_WELCOME);
    }

    @Test
    void paymentFailedLinksToTheConfiguredRetryPage() {
        try (JavaScriptTransforms configured = Samples.shippedTransforms(Map.of("RETRY_LINK_BASE", "https://shop.example/retry/"))) {
            LoopsRequest request = configured.transform(Samples.event("payment.failed"), "payment_failed.js");

            assertThat(request).isEqualTo(LoopsRequest.event(Map.of(
                    "eventName", "payment_failed",
                    "email", "test@acme.com",
                    "eventProperties", Map.of(
                            "customer_name", "Test user",
                            "payment_id", "pay_2IjeQm4hqU6RA4Z4kwDee",
                            "amount", "4.00",
                            "error_message", "An error occurred while processing your card. Try again in a little bit.",
                            "retry_link", "https://shop.example/retry/pay_2IjeQm4hqU6RA4Z4kwDee"))));
        }
    }

    @Test
    void paymentFailedFallsBackToDodosCheckoutLink() {
        Map<?, ?> properties = (Map<?, ?>) transforms.transform(Samples.event("payment.failed"), "payment_failed.js")
                .body().get("eventProperties");

        assertThat(properties.get("retry_link")).isEqualTo("https://test.checkout.dodopayments.com/cbq");
    }

    @Test
    void paymentFailedWithoutAnyLinkOrMessageSendsEmptyText() {
        DodoEvent event = Samples.event("payment.failed");
        var data = (com.fasterxml.jackson.databind.node.ObjectNode) event.data();
        data.remove("payment_link");
        data.putNull("error_message");

        Map<?, ?> properties = (Map<?, ?>) transforms.transform(event, "payment_failed.js").body().get("eventProperties");

        assertThat(properties.get("retry_link")).isEqualTo("");
        assertThat(properties.get("error_message")).isEqualTo("");
    }

    @Test
    void shippedTransformsNeedNoCorrection() {
        try (LogCapture log = new LogCapture(JavaScriptTransforms.class)) {
            transforms.transform(Samples.event("payment.succeeded"), "payment_confirmation.js");
            transforms.transform(Samples.event("subscription.active"), "subscription_welcome.js");
            transforms.transform(Samples.event("payment.failed"), "payment_failed.js");

            assertThat(log.warnings()).isEmpty();
        }
    }

    @Test
    void aTransformRoutedTheWrongEventSaysSo() {
        assertThatThrownBy(() -> transforms.transform(Samples.event("payment.failed"), "payment_confirmation.js"))
                .isInstanceOf(TransformException.class)
                .hasMessage("transform payment_confirmation.js threw at line 6: Error: payment_confirmation.js handles"
                        + " payment.succeeded, not payment.failed");
    }
}
