// refund.succeeded -> Loops event "refund_confirmation".
// amount is in the smallest unit of the refund's currency (Dodo's own examples and templates treat it so);
// Dodo may leave amount, currency and reason out: each becomes "".
// formatAmount(minorUnits, currency) is provided by the bridge.
function handler(webhook) {
  if (webhook.eventType !== "refund.succeeded") {
    throw new Error("refund_confirmation.js handles refund.succeeded, not " + webhook.eventType);
  }
  const refund = webhook.payload.data;
  const customer = refund.customer || {};
  const hasAmount = refund.amount !== null && refund.amount !== undefined;
  webhook.payload = {
    eventName: "refund_confirmation",
    email: customer.email,
    userId: customer.customer_id || undefined,   // undefined: left out of the request
    eventProperties: {
      refund_id: refund.refund_id || "",
      payment_id: refund.payment_id || "",
      amount: hasAmount ? formatAmount(refund.amount, refund.currency) : "",
      currency: refund.currency || "",
      is_partial: refund.is_partial === true,
      reason: refund.reason || ""
    }
  };
  // When LOOPS_TRANSACTIONAL_REFUND_CONFIRMATION is set: that transactional email instead, with eventProperties as dataVariables.
  return asTransactional(webhook, webhook.env.LOOPS_TRANSACTIONAL_REFUND_CONFIRMATION);
}
