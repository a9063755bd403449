package io.dodoloops.bridge.ingress;

import io.dodoloops.bridge.metrics.BridgeCounters.Rejection;

/** A request the bridge refuses, with the HTTP status and the reason the caller sees. Nothing was queued. */
public class WebhookRejectedException extends RuntimeException {

    private final int status;
    private final Rejection kind;

    public WebhookRejectedException(int status, Rejection kind, String reason) {
        super(reason, null, false, false);
        this.status = status;
        this.kind = kind;
    }

    public int status() {
        return status;
    }

    public Rejection kind() {
        return kind;
    }
}
