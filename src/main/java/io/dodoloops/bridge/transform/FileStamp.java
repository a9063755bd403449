package io.dodoloops.bridge.transform;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.nio.file.attribute.FileTime;

/**
 * A file's last-modified time, size and identity (inode): one stat call tells whether a transform was edited. The
 * identity catches an editor's save-by-rename even when the size is unchanged and the clock coarse.
 */
record FileStamp(FileTime modified, long size, Object fileKey) {

    /** @throws IOException if the file is missing or unreadable */
    static FileStamp of(Path file) throws IOException {
        BasicFileAttributes attributes = Files.readAttributes(file, BasicFileAttributes.class);
        if (!attributes.isRegularFile()) {
            throw new IOException(file + " is not a regular file");
        }
        return new FileStamp(attributes.lastModifiedTime(), attributes.size(), attributes.fileKey());
    }
}
