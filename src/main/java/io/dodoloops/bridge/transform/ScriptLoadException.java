package io.dodoloops.bridge.transform;

/**
 * A script's text does not load: it does not compile, throws or loops at the top level, or defines no handler. That
 * is a fault of the file itself, so an edit that fails like this is refused and the previous version keeps serving.
 */
final class ScriptLoadException extends TransformException {

    private final String problem;

    /**
     * @param message the dead-letter reason, e.g. "transform x.js has a syntax error at line 3: ..."
     * @param problem one line that follows "the edit" or "the script", e.g. "at line 3 does not compile (SyntaxError: ...)"
     */
    ScriptLoadException(String message, String problem, Throwable cause) {
        super(message, cause);
        this.problem = problem;
    }

    String problem() {
        return problem;
    }
}
