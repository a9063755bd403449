package io.dodoloops.bridge.loops;

/** A transform produced something Loops would reject: permanent, so the event is dead-lettered with this reason. */
public class InvalidLoopsRequestException extends RuntimeException {
    public InvalidLoopsRequestException(String message) {
        super(message);
    }
}
