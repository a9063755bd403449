package io.dodoloops.bridge.welcome;

import java.nio.file.Files;
import java.nio.file.Path;

import org.apache.camel.spi.IdempotentRepository;
import org.apache.camel.support.processor.idempotent.FileIdempotentRepository;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The file repository behind welcome-once: what it keeps, and where it keeps it. */
class WelcomeRepositoryConfigurationTest {

    @TempDir
    Path dir;

    @Test
    void anAddedIdIsOnDiskAtOnceOneALineAndKnownToTheNextProcess() throws Exception {
        Path file = dir.resolve(WelcomeRepositoryConfiguration.FILE_NAME);
        FileIdempotentRepository first = WelcomeRepositoryConfiguration.file(file);
        first.start();
        assertThat(first.add("sub_1")).isTrue();
        assertThat(first.add("sub_1")).isFalse();
        assertThat(first.add("sub_2")).isTrue();
        // Appended on add, no flush at stop needed: a kill -9 right now leaves both in the file.
        assertThat(Files.readAllLines(file)).containsExactly("sub_1", "sub_2");

        FileIdempotentRepository next = WelcomeRepositoryConfiguration.file(file); // not stopping the first: as after kill -9
        next.start();
        assertThat(next.contains("sub_1")).isTrue();
        assertThat(next.contains("sub_2")).isTrue();
        assertThat(next.contains("sub_3")).isFalse();
        next.stop();
    }

    @Test
    void idsBeyondTheInMemoryCacheAreStillFoundInTheFile() throws Exception {
        Path file = dir.resolve("small.txt");
        FileIdempotentRepository repository = (FileIdempotentRepository)
                FileIdempotentRepository.fileIdempotentRepository(file.toFile(), 2, WelcomeRepositoryConfiguration.MAX_FILE_SIZE);
        repository.start();
        for (int i = 0; i < 10; i++) {
            repository.add("sub_" + i);
        }
        repository.stop();

        FileIdempotentRepository reopened = (FileIdempotentRepository)
                FileIdempotentRepository.fileIdempotentRepository(file.toFile(), 2, WelcomeRepositoryConfiguration.MAX_FILE_SIZE);
        reopened.start();
        for (int i = 0; i < 10; i++) {
            assertThat(reopened.contains("sub_" + i)).as("sub_" + i).isTrue();
        }
        assertThat(Files.readAllLines(file)).hasSize(10);
        reopened.stop();
    }

    @Test
    void theRepositoryKindIsCheckedAtStartUp() {
        WelcomeRepositoryConfiguration configuration = new WelcomeRepositoryConfiguration();
        IdempotentRepository file = configuration.welcomedSubscriptions("file", dir.toString());
        assertThat(file).isInstanceOf(FileIdempotentRepository.class);
        assertThat(((FileIdempotentRepository) file).getFilePath()).endsWith(WelcomeRepositoryConfiguration.FILE_NAME);

        assertThatThrownBy(() -> configuration.welcomedSubscriptions("jdbc", dir.toString()))
                .hasMessageContaining("WELCOME_REPOSITORY").hasMessageContaining("not available yet");
        assertThatThrownBy(() -> configuration.welcomedSubscriptions("redis", dir.toString()))
                .hasMessage("bridge.welcome.repository (WELCOME_REPOSITORY) is 'redis': use 'file' (the default; 'jdbc' is planned)");
    }

    @Test
    void anUnknownRepositoryStopsTheStartUpNamingTheSetting() {
        new org.springframework.boot.test.context.runner.ApplicationContextRunner()
                .withUserConfiguration(WelcomeRepositoryConfiguration.class)
                .withPropertyValues("bridge.data-dir=" + dir, "bridge.welcome.repository=jdbc")
                .run(context -> assertThat(context).hasFailed().getFailure().rootCause()
                        .hasMessageContaining("bridge.welcome.repository (WELCOME_REPOSITORY) is 'jdbc'"));
        new org.springframework.boot.test.context.runner.ApplicationContextRunner()
                .withUserConfiguration(WelcomeRepositoryConfiguration.class)
                .withPropertyValues("bridge.data-dir=" + dir)
                .run(context -> {
                    assertThat(context).hasNotFailed().hasBean("welcomedSubscriptions");
                    assertThat(context.getBean("welcomedSubscriptions", FileIdempotentRepository.class).isStarted()).isTrue();
                });
    }
}
