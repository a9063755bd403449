package io.dodoloops.bridge.transform;

import java.util.LinkedHashMap;
import java.util.Map;

import com.fasterxml.jackson.databind.JsonNode;
import io.dodoloops.bridge.loops.LoopsRequest;
import io.dodoloops.bridge.loops.TransactionalEmails;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.stereotype.Component;

/**
 * {@code subscription.active} as a {@code subscription_welcome} Loops event, in Java. Produces exactly what
 * {@code transforms/subscription_welcome.js} produces, so a route can switch between the two by editing only YAML.
 */
@Component("subscriptionWelcome")
public class SubscriptionWelcomeTransform {

    private final TransactionalEmails transactional;

    @Autowired
    public SubscriptionWelcomeTransform(TransactionalEmails transactional) {
        this.transactional = transactional;
    }

    /** With no transactional emails configured, for code that runs without Spring. */
    public SubscriptionWelcomeTransform() {
        this(TransactionalEmails.none());
    }

    public LoopsRequest transform(DodoEvent event) {
        JsonNode subscription = event.data();
        JsonNode customer = subscription.path("customer");
        String currency = text(subscription, "currency", "USD");

        Map<String, Object> properties = new LinkedHashMap<>();
        properties.put("customer_name", text(customer, "name", ""));
        properties.put("subscription_id", text(subscription, "subscription_id", ""));
        properties.put("product_id", text(subscription, "product_id", ""));
        properties.put("amount", Amounts.format(minorUnits(subscription, "recurring_pre_tax_amount"), currency));
        properties.put("frequency", text(subscription, "payment_frequency_interval", ""));
        properties.put("next_billing", IsoDates.utcDate(text(subscription, "next_billing_date", "")));

        Map<String, Object> body = new LinkedHashMap<>();
        body.put("eventName", "subscription_welcome");
        // As given, like the JavaScript transforms: an empty address is refused by the recipient check, not dropped.
        JsonNode email = customer.path("email");
        body.put("email", email.isTextual() ? email.asText() : null);
        String customerId = text(customer, "customer_id", "");
        if (!customerId.isEmpty()) {
            body.put("userId", customerId); // Loops keeps the contact matched on Dodo's customer id too
        }
        // Contact properties, from the payload: Dodo delivers the subscription's latest state at delivery time.
        body.put("subscriptionStatus", text(subscription, "status", ""));
        body.put("subscriptionProductId", text(subscription, "product_id", ""));
        body.put("subscriptionNextBilling", IsoDates.utcDate(text(subscription, "next_billing_date", "")));
        body.put("eventProperties", properties);
        LoopsRequest welcome = LoopsRequest.event(body);
        // LOOPS_TRANSACTIONAL_SUBSCRIPTION_WELCOME, as subscription_welcome.js reads it from webhook.env
        return transactional.idFor("subscription_welcome").map(welcome::asTransactional).orElse(welcome);
    }

    private static long minorUnits(JsonNode node, String field) {
        JsonNode amount = node.path(field);
        if (!amount.isIntegralNumber() || !amount.canConvertToLong()) {
            throw new TransformException("subscriptionWelcome: the event's data." + field
                    + " is not an integer amount in the currency's smallest unit");
        }
        return amount.longValue();
    }

    /** Like JavaScript's {@code value || fallback} for the text fields Dodo may send as null or empty. */
    private static String text(JsonNode node, String field, String fallback) {
        String value = node.path(field).asText("");
        return value.isEmpty() ? fallback : value;
    }
}
