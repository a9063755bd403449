package io.dodoloops.bridge.transform;

import io.dodoloops.bridge.TestSettings;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import com.fasterxml.jackson.databind.node.ObjectNode;

import io.dodoloops.bridge.loops.LoopsRequest;
import io.dodoloops.bridge.loops.TransactionalEmails;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** The scripts in {@code transforms/} on the sample webhooks, exactly as the route runs them. */
class ShippedTransformsTest {

    private JavaScriptTransforms transforms = Samples.shippedTransforms(Map.of());

    @AfterEach
    void close() {
        transforms.close();
    }

    /** The preflight asks this right after a start, before any event or the watcher has read a script. */
    @Test
    void everyShippedScriptLoadsBeforeAnyEventHasUsedIt() throws Exception {
        List<String> scripts;
        try (var files = java.nio.file.Files.list(java.nio.file.Path.of("transforms"))) {
            scripts = files.map(f -> f.getFileName().toString()).filter(n -> n.endsWith(".js")).sorted().toList();
        }
        assertThat(scripts).contains("subscription_reactivated.js");
        assertThat(transforms.loadedScripts()).isEmpty();

        assertThat(scripts).allMatch(transforms::loads);
        assertThat(transforms.loadedScripts()).isEqualTo(scripts);
        assertThat(transforms.loads("no_such_script.js")).isFalse();
        assertThat(transforms.files().problems()).containsOnlyKeys("transforms/no_such_script.js");
    }

    @Test
    void paymentSucceededBecomesPaymentConfirmation() {
        LoopsRequest request = transforms.transform(Samples.event("payment.succeeded"), "payment_confirmation.js");

        assertThat(request.path()).isEqualTo(LoopsRequest.EVENTS_SEND);
        assertThat(request.body()).isEqualTo(Map.of(
                "eventName", "payment_confirmation",
                "email", "test@acme.com",
                "userId", "cus_8VbC6JDZzPEqfB",
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
                    "userId", "cus_8VbC6JDZzPEqfB",
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

    // --- the customer lifecycle: renewals, holds, plan changes, cancellations, expiry, refunds ---------------------

    /** The contact properties every subscription.* sample sets, besides userId. */
    private static Map<String, Object> contact(String status) {
        return Map.of(
                "userId", "cus_8VbC6JDZzPEqfBPUdpj0K",
                "subscriptionStatus", status,
                "subscriptionProductId", "pdt_RUST4raxbl0Rfe4VQi1z",
                "subscriptionNextBilling", "2025-08-23");
    }

    private static LoopsRequest event(String eventName, Map<String, Object> contact, Map<String, Object> properties) {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("eventName", eventName);
        body.put("email", "test@acme.com");
        body.putAll(contact);
        body.put("eventProperties", properties);
        return LoopsRequest.event(body);
    }

    @Test
    void subscriptionRenewedBecomesSubscriptionRenewed() {
        assertThat(transforms.transform(Samples.event("subscription.renewed"), "subscription_renewed.js"))
                .isEqualTo(event("subscription_renewed", contact("active"), Map.of(
                        "subscription_id", "sub_7EeHq2ewQuadropD2ra",
                        "product_id", "pdt_RUST4raxbl0Rfe4VQi1z",
                        "amount", "10.00",
                        "currency", "USD",
                        "next_billing", "2025-08-23")));
    }

    @Test
    void subscriptionOnHoldBecomesSubscriptionOnHold() {
        assertThat(transforms.transform(Samples.event("subscription.on_hold"), "subscription_on_hold.js"))
                .isEqualTo(event("subscription_on_hold", contact("on_hold"), Map.of(
                        "subscription_id", "sub_7EeHq2ewQuadropD2ra",
                        "product_id", "pdt_RUST4raxbl0Rfe4VQi1z",
                        "amount", "4.20",
                        "currency", "USD")));
    }

    @Test
    void subscriptionPlanChangedBecomesSubscriptionPlanChanged() {
        assertThat(transforms.transform(Samples.event("subscription.plan_changed"), "subscription_plan_changed.js"))
                .isEqualTo(event("subscription_plan_changed", contact("active"), Map.of(
                        "subscription_id", "sub_7EeHq2ewQuadropD2ra",
                        "product_id", "pdt_RUST4raxbl0Rfe4VQi1z",
                        "amount", "10.00",
                        "currency", "USD",
                        "frequency", "Month",
                        "next_billing", "2025-08-23")));
    }

    @Test
    void subscriptionCancelledAtOnceGivesAccessUntilTheCancellationDate() {
        assertThat(transforms.transform(Samples.event("subscription.cancelled"), "subscription_cancelled.js"))
                .isEqualTo(event("subscription_cancelled", contact("cancelled"), Map.of(
                        "subscription_id", "sub_7EeHq2ewQuadropD2ra",
                        "product_id", "pdt_RUST4raxbl0Rfe4VQi1z",
                        "cancelled_at", "2025-08-04",
                        "cancel_at_next_billing_date", false,
                        "access_until", "2025-08-04")));
    }

    @Test
    void subscriptionCancelledAtTheNextBillingDateGivesAccessUntilThen() {
        DodoEvent event = Samples.event("subscription.cancelled");
        ((ObjectNode) event.data()).put("cancel_at_next_billing_date", true).put("status", "active");

        LoopsRequest request = transforms.transform(event, "subscription_cancelled.js");

        assertThat(request).isEqualTo(event("subscription_cancelled", contact("active"), Map.of(
                "subscription_id", "sub_7EeHq2ewQuadropD2ra",
                "product_id", "pdt_RUST4raxbl0Rfe4VQi1z",
                "cancelled_at", "2025-08-04",
                "cancel_at_next_billing_date", true,
                "access_until", "2025-08-23")));
    }

    @Test
    void subscriptionExpiredBecomesSubscriptionExpired() {
        DodoEvent event = Samples.event("subscription.expired");
        ((ObjectNode) event.data()).put("expires_at", "2025-08-04T05:48:25.139421Z");

        assertThat(transforms.transform(event, "subscription_expired.js"))
                .isEqualTo(event("subscription_expired", contact("expired"), Map.of(
                        "subscription_id", "sub_7EeHq2ewQuadropD2ra",
                        "product_id", "pdt_RUST4raxbl0Rfe4VQi1z",
                        "expired_at", "2025-08-04")));
    }

    /** Dodo's own sample has expires_at null: the event's timestamp is when the subscription expired. */
    @Test
    void subscriptionExpiredWithoutExpiresAtUsesTheEventsTimestamp() {
        DodoEvent event = Samples.event("subscription.expired");
        ((ObjectNode) event.envelope()).put("timestamp", "2025-09-30T23:59:59Z");

        Map<?, ?> properties = (Map<?, ?>) transforms.transform(event, "subscription_expired.js").body().get("eventProperties");

        assertThat(properties.get("expired_at")).isEqualTo("2025-09-30");
    }

    @Test
    void refundSucceededBecomesRefundConfirmation() {
        assertThat(transforms.transform(Samples.event("refund.succeeded"), "refund_confirmation.js"))
                .isEqualTo(LoopsRequest.event(Map.of(
                        "eventName", "refund_confirmation",
                        "email", "jane@example.com",
                        "userId", "cus_123",
                        "eventProperties", Map.of(
                                "refund_id", "ref_nUV0DuvmVgeKJVbS04L0y",
                                "payment_id", "pay_aTkzUDRuc7Rb3kVJXE17z",
                                "amount", "4.00",
                                "currency", "USD",
                                "is_partial", false,
                                "reason", "Testing success refund"))));
    }

    @Test
    void aPartialRefundInACurrencyWithoutDecimals() {
        DodoEvent event = Samples.event("refund.succeeded");
        ((ObjectNode) event.data()).put("amount", 1500).put("currency", "JPY").put("is_partial", true);

        Map<?, ?> properties = (Map<?, ?>) transforms.transform(event, "refund_confirmation.js").body().get("eventProperties");

        assertThat(properties.get("amount")).isEqualTo("1500");
        assertThat(properties.get("currency")).isEqualTo("JPY");
        assertThat(properties.get("is_partial")).isEqualTo(true);
    }

    /** Every optional field of the Dodo schema (dodo-webhooks.md §2.3) set to null. */
    private static DodoEvent withOptionalFieldsNull(String type) {
        DodoEvent event = Samples.event(type);
        ObjectNode data = (ObjectNode) event.data();
        if (type.startsWith("refund.")) {
            data.putNull("amount").putNull("currency").putNull("reason");
        } else {
            for (String field : new String[] {"cancellation_comment", "cancellation_feedback", "cancelled_at",
                    "custom_field_responses", "customer_business_name", "discount_cycles_remaining", "discount_id",
                    "discounts", "expires_at", "paused_at", "payment_method_id", "scheduled_change", "tax_id",
                    "trial_amount",
                    // required in the SDK's types, but the properties built from them must not turn null either
                    "next_billing_date", "payment_frequency_interval"}) {
                data.putNull(field);
            }
        }
        return event;
    }

    static Stream<Arguments> sparseEvents() {
        return Stream.of(
                Arguments.of("subscription.renewed", "subscription_renewed.js", Map.of(
                        "subscription_id", "sub_7EeHq2ewQuadropD2ra", "product_id", "pdt_RUST4raxbl0Rfe4VQi1z",
                        "amount", "10.00", "currency", "USD", "next_billing", "")),
                Arguments.of("subscription.on_hold", "subscription_on_hold.js", Map.of(
                        "subscription_id", "sub_7EeHq2ewQuadropD2ra", "product_id", "pdt_RUST4raxbl0Rfe4VQi1z",
                        "amount", "4.20", "currency", "USD")),
                Arguments.of("subscription.plan_changed", "subscription_plan_changed.js", Map.of(
                        "subscription_id", "sub_7EeHq2ewQuadropD2ra", "product_id", "pdt_RUST4raxbl0Rfe4VQi1z",
                        "amount", "10.00", "currency", "USD", "frequency", "", "next_billing", "")),
                // no cancelled_at: the event's timestamp is when the cancellation happened
                Arguments.of("subscription.cancelled", "subscription_cancelled.js", Map.of(
                        "subscription_id", "sub_7EeHq2ewQuadropD2ra", "product_id", "pdt_RUST4raxbl0Rfe4VQi1z",
                        "cancelled_at", "2025-08-04", "cancel_at_next_billing_date", false, "access_until", "2025-08-04")),
                Arguments.of("subscription.expired", "subscription_expired.js", Map.of(
                        "subscription_id", "sub_7EeHq2ewQuadropD2ra", "product_id", "pdt_RUST4raxbl0Rfe4VQi1z",
                        "expired_at", "2025-08-04")),
                Arguments.of("refund.succeeded", "refund_confirmation.js", Map.of(
                        "refund_id", "ref_nUV0DuvmVgeKJVbS04L0y", "payment_id", "pay_aTkzUDRuc7Rb3kVJXE17z",
                        "amount", "", "currency", "", "is_partial", false, "reason", "")));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("sparseEvents")
    void optionalFieldsDodoLeavesOutBecomeEmptyTextNeverNull(String type, String script, Map<String, Object> expected) {
        LoopsRequest request = transforms.transform(withOptionalFieldsNull(type), script);

        assertThat(request.body().get("eventProperties")).isEqualTo(expected);
        assertThat(request.body()).doesNotContainValue(null);
        if (type.startsWith("subscription.")) {
            assertThat(request.body()).containsEntry("subscriptionNextBilling", "");
        }
    }

    @Test
    void aCancellationAtTheNextBillingDateWithoutOneLeavesAccessUntilEmpty() {
        DodoEvent event = withOptionalFieldsNull("subscription.cancelled");
        ((ObjectNode) event.data()).put("cancel_at_next_billing_date", true);

        Map<?, ?> properties = (Map<?, ?>) transforms.transform(event, "subscription_cancelled.js").body().get("eventProperties");

        assertThat(properties.get("access_until")).isEqualTo("");
    }

    // --- the contact kept in step -------------------------------------------------------------------------------

    static Stream<Arguments> everyShippedTransform() {
        return Stream.of(
                Arguments.of("payment.succeeded", "payment_confirmation.js"),
                Arguments.of("payment.failed", "payment_failed.js"),
                Arguments.of("subscription.active", "subscription_welcome.js"),
                Arguments.of("subscription.renewed", "subscription_renewed.js"),
                Arguments.of("subscription.on_hold", "subscription_on_hold.js"),
                Arguments.of("subscription.plan_changed", "subscription_plan_changed.js"),
                Arguments.of("subscription.cancelled", "subscription_cancelled.js"),
                Arguments.of("subscription.expired", "subscription_expired.js"),
                Arguments.of("refund.succeeded", "refund_confirmation.js"));
    }

    @ParameterizedTest(name = "{1}")
    @MethodSource("everyShippedTransform")
    void everyEventNamesTheContactByDodosCustomerIdToo(String type, String script) {
        DodoEvent event = Samples.event(type);

        LoopsRequest request = transforms.transform(event, script);

        assertThat(request.path()).isEqualTo(LoopsRequest.EVENTS_SEND);
        assertThat(request.body().get("userId")).isEqualTo(event.data().at("/customer/customer_id").asText());
        assertThat(request.body().get("email")).isEqualTo(event.data().at("/customer/email").asText());
    }

    /** Dodo sends the latest payload at delivery: the status is the subscription's, whatever the event type says. */
    @ParameterizedTest(name = "{1}")
    @MethodSource("everyShippedTransform")
    void subscriptionEventsSetTheContactsSubscriptionFromThePayload(String type, String script) {
        if (!type.startsWith("subscription.")) {
            return;
        }
        DodoEvent event = Samples.event(type);
        ((ObjectNode) event.data()).put("status", "paused").put("product_id", "pdt_other")
                .put("next_billing_date", "2026-01-31T23:30:00-02:00");

        Map<String, Object> body = transforms.transform(event, script).body();

        assertThat(body).containsEntry("subscriptionStatus", "paused")
                .containsEntry("subscriptionProductId", "pdt_other")
                .containsEntry("subscriptionNextBilling", "2026-02-01");
    }

    @Test
    void paymentAndRefundEventsLeaveTheContactsSubscriptionAlone() {
        for (String[] pair : new String[][] {{"payment.succeeded", "payment_confirmation.js"},
                {"payment.failed", "payment_failed.js"}, {"refund.succeeded", "refund_confirmation.js"}}) {
            assertThat(transforms.transform(Samples.event(pair[0]), pair[1]).body().keySet())
                    .as(pair[1]).containsExactlyInAnyOrder("eventName", "email", "userId", "eventProperties");
        }
    }

    @Test
    void anEventWithoutACustomerIdIsStillSentByEmail() {
        DodoEvent event = Samples.event("refund.succeeded");
        ((ObjectNode) event.data().path("customer")).remove("customer_id");

        Map<String, Object> body = transforms.transform(event, "refund_confirmation.js").body();

        assertThat(body).doesNotContainKey("userId").containsEntry("email", "jane@example.com");
    }

    @Test
    void shippedTransformsNeedNoCorrection() {
        try (LogCapture log = new LogCapture(JavaScriptTransforms.class)) {
            everyShippedTransform().forEach(pair -> transforms.transform(
                    Samples.event((String) pair.get()[0]), (String) pair.get()[1]));

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

    // --- transactional emails, by configuration (LOOPS_TRANSACTIONAL_<EVENTNAME>) ----------------------------------

    static Stream<Arguments> everyShippedScript() {
        return Stream.concat(everyShippedTransform(), Stream.of(Arguments.of("subscription.active", "subscription_reactivated.js")));
    }

    @ParameterizedTest(name = "{1}")
    @MethodSource("everyShippedScript")
    void itsVariableSendsTheEmailAsThatTransactionalEmailWithTheEventPropertiesAsDataVariables(String type, String script) {
        LoopsRequest event = transforms.transform(Samples.event(type), script);
        String variable = TransactionalEmails.variableFor((String) event.body().get("eventName"));
        TransactionalEmails configured = TransactionalEmails.of(Map.of(variable, "cm_test"));

        try (JavaScriptTransforms withTransactional = new JavaScriptTransforms(TestSettings.transforms(Map.of()), configured,
                "https://app.loops.so/api")) {
            LoopsRequest transactional = withTransactional.transform(Samples.event(type), script);

            assertThat(transactional.path()).isEqualTo(LoopsRequest.TRANSACTIONAL);
            assertThat(transactional.body()).containsOnlyKeys("transactionalId", "email", "dataVariables")
                    .containsEntry("transactionalId", "cm_test").containsEntry("email", event.body().get("email"));
            List<Object> variables = List.copyOf(((Map<?, ?>) transactional.body().get("dataVariables")).keySet());
            List<Object> properties = List.copyOf(((Map<?, ?>) event.body().get("eventProperties")).keySet());
            assertThat(variables).isEqualTo(properties);
            assertThat(transactional).as("the same as the Java transforms' conversion").isEqualTo(event.asTransactional("cm_test"));
        }
    }

    @Test
    void anotherEmailsVariableLeavesThisOneAnEvent() {
        TransactionalEmails configured = TransactionalEmails.of(Map.of("LOOPS_TRANSACTIONAL_REFUND_CONFIRMATION", "cm_refund"));
        try (JavaScriptTransforms withTransactional = new JavaScriptTransforms(TestSettings.transforms(Map.of()), configured,
                "https://app.loops.so/api")) {
            assertThat(withTransactional.transform(Samples.event("payment.succeeded"), "payment_confirmation.js").path())
                    .isEqualTo(LoopsRequest.EVENTS_SEND);
            assertThat(withTransactional.transform(Samples.event("refund.succeeded"), "refund_confirmation.js").path())
                    .isEqualTo(LoopsRequest.TRANSACTIONAL);
        }
    }
}
