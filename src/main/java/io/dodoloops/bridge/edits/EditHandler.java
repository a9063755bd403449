package io.dodoloops.bridge.edits;

import java.nio.file.Path;

/** What a {@link WatchedDirectory} does with a file once its change has settled: applies it, or refuses it. */
public interface EditHandler {

    /**
     * Applies the file's new text, or refuses it and keeps what runs now. Called again with the text already applied
     * (e.g. at the first check after start-up), it changes nothing.
     *
     * @return what is wrong with the file, for the log and health (e.g. the line of a syntax error), or null when
     *         nothing is
     */
    String apply(Path file, String text);

    /** @return what is wrong now that the file is gone, or null when nothing is */
    String deleted(Path file);
}
