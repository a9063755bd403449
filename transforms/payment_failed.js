// payment.failed -> Loops event "payment_failed".
// retry_link: RETRY_LINK_BASE (bridge.transforms.env.RETRY_LINK_BASE) followed by the payment id when configured,
// otherwise the payment's own Dodo checkout link, otherwise "".
// formatAmount(minorUnits, currency) is provided by the bridge.
function handler(webhook) {
  if (webhook.eventType !== "payment.failed") {
    throw new Error("payment_failed.js handles payment.failed, not " + webhook.eventType);
  }
  const payment = webhook.payload.data;
  const customer = payment.customer || {};
  const retryLinkBase = (webhook.env || {}).RETRY_LINK_BASE;
  webhook.payload = {
    eventName: "payment_failed",
    email: customer.email,
    userId: customer.customer_id || undefined,   // undefined: left out of the request
    eventProperties: {
      customer_name: customer.name || "",
      payment_id: payment.payment_id,
      amount: formatAmount(payment.total_amount, payment.currency || "USD"),
      error_message: payment.error_message || "",
      retry_link: retryLinkBase ? retryLinkBase + encodeURIComponent(payment.payment_id) : (payment.payment_link || "")
    }
  };
  // When LOOPS_TRANSACTIONAL_PAYMENT_FAILED is set: that transactional email instead, with eventProperties as dataVariables.
  return asTransactional(webhook, webhook.env.LOOPS_TRANSACTIONAL_PAYMENT_FAILED);
}
