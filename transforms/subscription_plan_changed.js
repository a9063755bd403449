// subscription.plan_changed -> Loops event "subscription_plan_changed" (upgrade, downgrade or other add-ons).
// product_id, amount and frequency are the plan as it is now.
// Contact properties: subscriptionStatus, subscriptionProductId and subscriptionNextBilling come from the payload
// (Dodo delivers the subscription's latest state at delivery time), never from the event type.
// formatAmount(minorUnits, currency) and formatDate(isoTimestamp) are provided by the bridge.
function handler(webhook) {
  if (webhook.eventType !== "subscription.plan_changed") {
    throw new Error("subscription_plan_changed.js handles subscription.plan_changed, not " + webhook.eventType);
  }
  const subscription = webhook.payload.data;
  const customer = subscription.customer || {};
  const currency = subscription.currency || "USD";
  webhook.payload = {
    eventName: "subscription_plan_changed",
    email: customer.email,
    userId: customer.customer_id || undefined,   // undefined: left out of the request
    subscriptionStatus: subscription.status || "",
    subscriptionProductId: subscription.product_id || "",
    subscriptionNextBilling: formatDate(subscription.next_billing_date),
    eventProperties: {
      subscription_id: subscription.subscription_id || "",
      product_id: subscription.product_id || "",
      amount: formatAmount(subscription.recurring_pre_tax_amount, currency),
      currency: currency,
      frequency: subscription.payment_frequency_interval || "",   // "Day", "Week", "Month" or "Year"
      next_billing: formatDate(subscription.next_billing_date)
    }
  };
  // When LOOPS_TRANSACTIONAL_SUBSCRIPTION_PLAN_CHANGED is set: that transactional email instead, with eventProperties as dataVariables.
  return asTransactional(webhook, webhook.env.LOOPS_TRANSACTIONAL_SUBSCRIPTION_PLAN_CHANGED);
}
