// subscription.renewed -> Loops event "subscription_renewed".
// The renewal charge also arrives as payment.succeeded (payment_confirmation, the receipt): attach no second receipt
// to this event's email in Loops.
// Contact properties: subscriptionStatus, subscriptionProductId and subscriptionNextBilling come from the payload
// (Dodo delivers the subscription's latest state at delivery time), never from the event type.
// formatAmount(minorUnits, currency) and formatDate(isoTimestamp) are provided by the bridge.
function handler(webhook) {
  if (webhook.eventType !== "subscription.renewed") {
    throw new Error("subscription_renewed.js handles subscription.renewed, not " + webhook.eventType);
  }
  const subscription = webhook.payload.data;
  const customer = subscription.customer || {};
  const currency = subscription.currency || "USD";
  webhook.payload = {
    eventName: "subscription_renewed",
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
      next_billing: formatDate(subscription.next_billing_date)
    }
  };
  // When LOOPS_TRANSACTIONAL_SUBSCRIPTION_RENEWED is set: that transactional email instead, with eventProperties as dataVariables.
  return asTransactional(webhook, webhook.env.LOOPS_TRANSACTIONAL_SUBSCRIPTION_RENEWED);
}
