package io.dodoloops.bridge.transform;

/**
 * A transform could not turn an event into a Loops request: the script is missing or broken, it threw, ran too long,
 * or asked for something the bridge will not do. The message is the dead-letter reason, so it names the script and
 * what went wrong, but never carries secrets or whole payloads.
 */
public class TransformException extends RuntimeException {

    public TransformException(String message) {
        super(message);
    }

    public TransformException(String message, Throwable cause) {
        super(message, cause);
    }
}
