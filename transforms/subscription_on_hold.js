// subscription.on_hold -> Loops event "subscription_on_hold" (a renewal charge failed; payment.failed comes too).
// Contact properties: subscriptionStatus, subscriptionProductId and subscriptionNextBilling come from the payload
// (Dodo delivers the subscription's latest state at delivery time), never from the event type.
// formatAmount(minorUnits, currency) and formatDate(isoTimestamp) are provided by the bridge.
function handler(webhook) {
  if (webhook.eventType !== "subscription.on_hold") {
    throw new Error("subscription_on_hold.js handles subscription.on_hold, not " + webhook.eventType);
  }
  const subscription = webhook.payload.data;
  const customer = subscription.customer || {};
  const currency = subscription.currency || "USD";
  webhook.payload = {
    eventName: "subscription_on_hold",
    email: customer.email,
    userId: customer.customer_id || undefined,   // undefined: left out of the request
    subscriptionStatus: subscription.status || "",
    subscriptionProductId: subscription.product_id || "",
    subscriptionNextBilling: formatDate(subscription.next_billing_date),
    eventProperties: {
      subscription_id: subscription.subscription_id || "",
      product_id: subscription.product_id || "",
      amount: formatAmount(subscription.recurring_pre_tax_amount, currency),
      currency: currency
    }
  };
  // When LOOPS_TRANSACTIONAL_SUBSCRIPTION_ON_HOLD is set: that transactional email instead, with eventProperties as dataVariables.
  return asTransactional(webhook, webhook.env.LOOPS_TRANSACTIONAL_SUBSCRIPTION_ON_HOLD);
}
