package io.dodoloops.bridge.signature;

import java.security.GeneralSecurityException;
import java.security.NoSuchAlgorithmException;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/** HMAC-SHA256 under one key; safe to use from many threads at once. */
final class HmacSha256 {

    private static final String ALGORITHM = "HmacSHA256";

    private final SecretKeySpec key;
    private final Mac prototype;
    private final boolean cloneable;

    HmacSha256(byte[] key) {
        this.key = new SecretKeySpec(key, ALGORITHM);
        this.prototype = newMac(this.key);
        this.cloneable = supportsClone(prototype);
    }

    /** The MAC of the concatenated parts, as if they were one byte array. */
    byte[] mac(byte[]... parts) {
        Mac mac = freshMac();
        for (byte[] part : parts) {
            mac.update(part);
        }
        return mac.doFinal();
    }

    // Mac is not thread-safe; cloning a keyed prototype skips the provider lookup and key setup of getInstance + init.
    private Mac freshMac() {
        if (cloneable) {
            try {
                return (Mac) prototype.clone();
            } catch (CloneNotSupportedException e) {
                throw new IllegalStateException("HmacSHA256 clone failed after succeeding once", e);
            }
        }
        return newMac(key);
    }

    private static boolean supportsClone(Mac mac) {
        try {
            mac.clone();
            return true;
        } catch (CloneNotSupportedException e) {
            return false;
        }
    }

    private static Mac newMac(SecretKeySpec key) {
        try {
            Mac mac = Mac.getInstance(ALGORITHM);
            mac.init(key);
            return mac;
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every Java runtime must provide " + ALGORITHM, e);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(ALGORITHM + " rejected the configured key", e);
        }
    }
}
