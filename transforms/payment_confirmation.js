// payment.succeeded -> Loops event "payment_confirmation".
// Leaves webhook.url as the bridge set it (the configured Loops events endpoint).
// formatAmount(minorUnits, currency), formatDate(isoTimestamp) and asTransactional(webhook, id) are provided by the bridge.
function handler(webhook) {
  if (webhook.eventType !== "payment.succeeded") {
    throw new Error("payment_confirmation.js handles payment.succeeded, not " + webhook.eventType);
  }
  const payment = webhook.payload.data;
  const customer = payment.customer || {};
  const currency = payment.currency || "USD";
  webhook.payload = {
    eventName: "payment_confirmation",
    email: customer.email,
    userId: customer.customer_id || undefined,   // undefined: left out of the request
    eventProperties: {
      customer_name: customer.name || "",
      payment_id: payment.payment_id,
      amount: formatAmount(payment.total_amount, currency),
      currency: currency,
      payment_method: payment.payment_method || "unknown",
      payment_date: formatDate(webhook.payload.timestamp)
    }
  };
  // When LOOPS_TRANSACTIONAL_PAYMENT_CONFIRMATION is set: that transactional email instead, with eventProperties as dataVariables.
  return asTransactional(webhook, webhook.env.LOOPS_TRANSACTIONAL_PAYMENT_CONFIRMATION);
}
