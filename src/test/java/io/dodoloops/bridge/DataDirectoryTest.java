package io.dodoloops.bridge;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.assertj.core.api.Assertions.assertThat;

/** The data directory holds the journal (customer data), the development secret and the outbox: its owner's alone. */
class DataDirectoryTest {

    @TempDir
    Path temp;

    @Test
    void aBridgeWithoutASecretCreatesItsDataDirectory0700AndTheDevelopmentSecret0600() throws Exception {
        Path data = temp.resolve("fresh/data");

        try (RunningBridge bridge = RunningBridge.start(Map.of("bridge.data-dir", data.toString(),
                "bridge.webhook.secret", ""))) {
            assertThat(mode(data)).isEqualTo("rwx------");
            assertThat(mode(data.resolve("dev-webhook-secret"))).isEqualTo("rw-------");
            assertThat(Files.readString(data.resolve("dev-webhook-secret"))).startsWith("whsec_");
            try (var files = Files.list(data)) {
                assertThat(files.map(f -> f.getFileName().toString())).noneMatch(name -> name.endsWith(".tmp"));
            }
        }
    }

    @Test
    void aSecretFileIsWrittenOnceAndNeverReplaced() throws Exception {
        Path file = temp.resolve("dir/secret");

        assertThat(DataDirectory.writeOwnerOnlyOnce(file, "first")).isTrue();
        assertThat(DataDirectory.writeOwnerOnlyOnce(file, "second")).isFalse();

        assertThat(Files.readString(file)).isEqualTo("first");
        assertThat(mode(file)).isEqualTo("rw-------");
        assertThat(mode(file.getParent())).isEqualTo("rwx------");
        try (var files = Files.list(file.getParent())) {
            assertThat(files).containsExactly(file);
        }
    }

    @Test
    void anExistingDirectoryIsLeftAsItIs() throws Exception {
        Path shared = Files.createDirectories(temp.resolve("shared"));
        Files.setPosixFilePermissions(shared, PosixFilePermissions.fromString("rwxr-x---"));

        DataDirectory.create(shared);

        assertThat(mode(shared)).isEqualTo("rwxr-x---");
    }

    private static String mode(Path path) throws Exception {
        return PosixFilePermissions.toString(Files.getPosixFilePermissions(path));
    }
}
