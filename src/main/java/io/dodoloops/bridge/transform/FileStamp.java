package io.dodoloops.bridge.transform;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.nio.file.attribute.FileTime;

/** A file's last-modified time and size: one stat call per event tells whether a transform was edited. */
record FileStamp(FileTime modified, long size) {

    /** @throws IOException if the file is missing or unreadable */
    static FileStamp of(Path file) throws IOException {
        BasicFileAttributes attributes = Files.readAttributes(file, BasicFileAttributes.class);
        if (!attributes.isRegularFile()) {
            throw new IOException(file + " is not a regular file");
        }
        return new FileStamp(attributes.lastModifiedTime(), attributes.size());
    }
}
