package io.dodoloops.bridge;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileAttribute;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Set;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.env.EnvironmentPostProcessor;
import org.springframework.core.env.ConfigurableEnvironment;

/**
 * The data directory (broker journal, development secret, outbox: customer data and a secret) is created readable by
 * its owner only, before anything writes to it; an EnvironmentPostProcessor because that is before any bean runs.
 */
public class DataDirectory implements EnvironmentPostProcessor {

    private static final boolean POSIX = FileSystems.getDefault().supportedFileAttributeViews().contains("posix");

    @Override
    public void postProcessEnvironment(ConfigurableEnvironment environment, SpringApplication application) {
        String configured = environment.getProperty("bridge.data-dir");
        if (configured != null && !configured.isBlank()) {
            create(Path.of(configured));
        }
    }

    /** Creates the directory (and missing parents of it) as drwx------; an existing one is left as it is. */
    public static void create(Path directory) {
        try {
            if (!Files.isDirectory(directory)) {
                Files.createDirectories(directory, attributes("rwx------"));
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot create the data directory " + directory.toAbsolutePath(), e);
        }
    }

    /**
     * Writes {@code text} to {@code file} unless it exists, as -rw------- from its first byte: written to a private
     * temporary file, then linked into place, which fails if another process got there first. True if written.
     */
    public static boolean writeOwnerOnlyOnce(Path file, String text) throws IOException {
        Path directory = file.toAbsolutePath().getParent();
        create(directory);
        Path temporary = Files.createTempFile(directory, ".new-", ".tmp", attributes("rw-------"));
        try {
            Files.writeString(temporary, text);
            Files.createLink(file, temporary);
            return true;
        } catch (FileAlreadyExistsException someoneElseWroteIt) {
            return false;
        } finally {
            Files.deleteIfExists(temporary);
        }
    }

    private static FileAttribute<?>[] attributes(String permissions) {
        if (!POSIX) {
            return new FileAttribute<?>[0];
        }
        Set<PosixFilePermission> mode = PosixFilePermissions.fromString(permissions);
        return new FileAttribute<?>[]{PosixFilePermissions.asFileAttribute(mode)};
    }
}
