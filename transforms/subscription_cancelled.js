// subscription.cancelled -> Loops event "subscription_cancelled".
// cancelled_at: data.cancelled_at, or the event's own timestamp (when the cancellation happened) if Dodo sent none.
// access_until: the next billing date when the cancellation takes effect then (cancel_at_next_billing_date),
// otherwise the cancellation date.
// Contact properties: subscriptionStatus, subscriptionProductId and subscriptionNextBilling come from the payload
// (Dodo delivers the subscription's latest state at delivery time), never from the event type.
// formatDate(isoTimestamp) is provided by the bridge.
function handler(webhook) {
  if (webhook.eventType !== "subscription.cancelled") {
    throw new Error("subscription_cancelled.js handles subscription.cancelled, not " + webhook.eventType);
  }
  const subscription = webhook.payload.data;
  const customer = subscription.customer || {};
  const atNextBilling = subscription.cancel_at_next_billing_date === true;
  const cancelledAt = formatDate(subscription.cancelled_at) || formatDate(webhook.payload.timestamp);
  webhook.payload = {
    eventName: "subscription_cancelled",
    email: customer.email,
    userId: customer.customer_id || undefined,   // undefined: left out of the request
    subscriptionStatus: subscription.status || "",
    subscriptionProductId: subscription.product_id || "",
    subscriptionNextBilling: formatDate(subscription.next_billing_date),
    eventProperties: {
      subscription_id: subscription.subscription_id || "",
      product_id: subscription.product_id || "",
      cancelled_at: cancelledAt,
      cancel_at_next_billing_date: atNextBilling,
      access_until: atNextBilling ? formatDate(subscription.next_billing_date) : cancelledAt
    }
  };
  // When LOOPS_TRANSACTIONAL_SUBSCRIPTION_CANCELLED is set: that transactional email instead, with eventProperties as dataVariables.
  return asTransactional(webhook, webhook.env.LOOPS_TRANSACTIONAL_SUBSCRIPTION_CANCELLED);
}
