package io.dodoloops.bridge.admin;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/** The samples the jar ships for `check` are the test samples of the same event types, byte for byte (no drift). */
class ShippedSamplesTest {

    @Test
    void everyShippedSampleIsTheTestSampleOfItsEventType() throws IOException {
        Path shipped = Path.of("src/main/resources/samples/dodo");
        try (Stream<Path> files = Files.list(shipped)) {
            assertThat(files.toList()).isNotEmpty().allSatisfy(file -> {
                try (InputStream onClasspath = getClass().getResourceAsStream(Preflight.SAMPLES + file.getFileName())) {
                    assertThat(onClasspath).as("on the classpath").isNotNull();
                    assertThat(Files.readAllBytes(file)).as(file.getFileName().toString())
                            .isEqualTo(Files.readAllBytes(Path.of("src/test/resources/samples/dodo").resolve(file.getFileName())));
                } catch (IOException e) {
                    throw new IllegalStateException(e);
                }
            });
        }
    }
}
