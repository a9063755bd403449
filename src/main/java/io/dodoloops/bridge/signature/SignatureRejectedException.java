package io.dodoloops.bridge.signature;

/**
 * A webhook failed signature verification. The reason is safe to log and to return to the caller:
 * it never contains a secret or a computed signature.
 */
public final class SignatureRejectedException extends RuntimeException {

    public SignatureRejectedException(String reason) {
        super(reason);
    }

    public String reason() {
        return getMessage();
    }
}
