package io.dodoloops.bridge.ingress;

/** A request the bridge refuses, with the HTTP status and the reason the caller sees. Nothing was queued. */
public class WebhookRejectedException extends RuntimeException {

    private final int status;

    public WebhookRejectedException(int status, String reason) {
        super(reason, null, false, false);
        this.status = status;
    }

    public int status() {
        return status;
    }
}
