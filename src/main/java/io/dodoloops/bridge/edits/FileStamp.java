package io.dodoloops.bridge.edits;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.nio.file.attribute.FileTime;

/**
 * A file's last-modified time, size and identity (inode): one stat call tells whether a file was edited. The
 * identity catches an editor's save-by-rename even when the size is unchanged and the clock coarse.
 */
record FileStamp(FileTime modified, long size, Object fileKey) {

    /** The file's stamp, or null when it is missing, unreadable or not a regular file. */
    static FileStamp ofOrNull(Path file) {
        try {
            BasicFileAttributes attributes = Files.readAttributes(file, BasicFileAttributes.class);
            return attributes.isRegularFile()
                    ? new FileStamp(attributes.lastModifiedTime(), attributes.size(), attributes.fileKey()) : null;
        } catch (IOException e) {
            return null;
        }
    }
}
