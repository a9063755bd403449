// subscription.active for a subscription that was already welcomed (it recovered from on_hold: payment.failed ->
// subscription.on_hold -> payment.succeeded -> subscription.active) -> Loops event "subscription_reactivated".
// routes/transform.yaml chooses between this and the welcome.
// formatAmount(minorUnits, currency) and formatDate(isoTimestamp) are provided by the bridge.
function handler(webhook) {
  if (webhook.eventType !== "subscription.active") {
    throw new Error("subscription_reactivated.js handles subscription.active, not " + webhook.eventType);
  }
  const subscription = webhook.payload.data;
  const customer = subscription.customer || {};
  const currency = subscription.currency || "USD";
  webhook.payload = {
    eventName: "subscription_reactivated",
    email: customer.email,
    userId: customer.customer_id,
    eventProperties: {
      subscription_id: subscription.subscription_id || "",
      product_id: subscription.product_id || "",
      amount: formatAmount(subscription.recurring_pre_tax_amount, currency),
      currency: currency,
      next_billing: formatDate(subscription.next_billing_date)
    },
    // Contact properties: what Loops keeps on the contact.
    subscriptionStatus: subscription.status || "",
    subscriptionProductId: subscription.product_id || "",
    subscriptionNextBilling: formatDate(subscription.next_billing_date)
  };
  // When LOOPS_TRANSACTIONAL_SUBSCRIPTION_REACTIVATED is set: that transactional email instead, with eventProperties as dataVariables.
  return asTransactional(webhook, webhook.env.LOOPS_TRANSACTIONAL_SUBSCRIPTION_REACTIVATED);
}
