// subscription.expired -> Loops event "subscription_expired" (the subscription reached the end of its term).
// expired_at: data.expires_at, or the event's own timestamp (when it expired) if Dodo sent none, as its samples do.
// Contact properties: subscriptionStatus, subscriptionProductId and subscriptionNextBilling come from the payload
// (Dodo delivers the subscription's latest state at delivery time), never from the event type.
// formatDate(isoTimestamp) is provided by the bridge.
function handler(webhook) {
  if (webhook.eventType !== "subscription.expired") {
    throw new Error("subscription_expired.js handles subscription.expired, not " + webhook.eventType);
  }
  const subscription = webhook.payload.data;
  const customer = subscription.customer || {};
  webhook.payload = {
    eventName: "subscription_expired",
    email: customer.email,
    userId: customer.customer_id || undefined,   // undefined: left out of the request
    subscriptionStatus: subscription.status || "",
    subscriptionProductId: subscription.product_id || "",
    subscriptionNextBilling: formatDate(subscription.next_billing_date),
    eventProperties: {
      subscription_id: subscription.subscription_id || "",
      product_id: subscription.product_id || "",
      expired_at: formatDate(subscription.expires_at) || formatDate(webhook.payload.timestamp)
    }
  };
  // When LOOPS_TRANSACTIONAL_SUBSCRIPTION_EXPIRED is set: that transactional email instead, with eventProperties as dataVariables.
  return asTransactional(webhook, webhook.env.LOOPS_TRANSACTIONAL_SUBSCRIPTION_EXPIRED);
}
