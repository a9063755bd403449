// subscription.active -> Loops event "subscription_welcome".
// The Java bean "subscriptionWelcome" produces the same request; keep the two in step.
// Contact properties: subscriptionStatus, subscriptionProductId and subscriptionNextBilling come from the payload
// (Dodo delivers the subscription's latest state at delivery time), never from the event type.
// formatAmount(minorUnits, currency) and formatDate(isoTimestamp) are provided by the bridge.
function handler(webhook) {
  if (webhook.eventType !== "subscription.active") {
    throw new Error("subscription_welcome.js handles subscription.active, not " + webhook.eventType);
  }
  const subscription = webhook.payload.data;
  const customer = subscription.customer || {};
  webhook.payload = {
    eventName: "subscription_welcome",
    email: customer.email,
    userId: customer.customer_id || undefined,   // undefined: left out of the request
    subscriptionStatus: subscription.status || "",
    subscriptionProductId: subscription.product_id || "",
    subscriptionNextBilling: formatDate(subscription.next_billing_date),
    eventProperties: {
      customer_name: customer.name || "",
      subscription_id: subscription.subscription_id || "",
      product_id: subscription.product_id || "",
      amount: formatAmount(subscription.recurring_pre_tax_amount, subscription.currency || "USD"),
      frequency: subscription.payment_frequency_interval || "",   // "Day", "Week", "Month" or "Year"
      next_billing: formatDate(subscription.next_billing_date)
    }
  };
  // When LOOPS_TRANSACTIONAL_SUBSCRIPTION_WELCOME is set: that transactional email instead, with eventProperties as dataVariables.
  return asTransactional(webhook, webhook.env.LOOPS_TRANSACTIONAL_SUBSCRIPTION_WELCOME);
}
