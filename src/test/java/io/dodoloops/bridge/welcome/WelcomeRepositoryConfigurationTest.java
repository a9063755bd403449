package io.dodoloops.bridge.welcome;

import java.nio.file.Files;
import java.nio.file.Path;

import javax.sql.DataSource;

import org.apache.camel.support.processor.idempotent.FileIdempotentRepository;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.boot.test.context.assertj.AssertableApplicationContext;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;

import io.dodoloops.bridge.TestSettings;

import io.dodoloops.bridge.transform.LogCapture;

import static org.assertj.core.api.Assertions.assertThat;

/** The repository behind welcome-once: what the file keeps and where, and which settings stop the start-up. */
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
        contexts().run(context -> {
            assertThat(context).hasNotFailed().doesNotHaveBean(DataSource.class);
            FileIdempotentRepository file = context.getBean("welcomedSubscriptions", FileIdempotentRepository.class);
            assertThat(file.isStarted()).isTrue();
            assertThat(file.getFilePath()).endsWith(WelcomeRepositoryConfiguration.FILE_NAME);
        });
        contexts().withPropertyValues("bridge.welcome.repository=redis").run(context -> assertThat(failure(context))
                .contains("bridge.welcome.repository (WELCOME_REPOSITORY) is 'redis': use 'file' (the default) or 'jdbc'"));
    }

    @Test
    void jdbcWithoutADatabaseUrlStopsTheStartUpNamingTheSetting() {
        contexts().withPropertyValues("bridge.welcome.repository=jdbc").run(context -> assertThat(failure(context))
                .contains("bridge.welcome.repository (WELCOME_REPOSITORY) is 'jdbc' but SPRING_DATASOURCE_URL is not set"));
    }

    @Test
    void anUnreachableDatabaseStopsTheStartUpNamingTheSettingsNotThePassword() throws Exception {
        int closedPort;
        try (java.net.ServerSocket socket = new java.net.ServerSocket(0)) {
            closedPort = socket.getLocalPort();
        }
        String password = "pw-" + java.util.UUID.randomUUID();
        try (LogCapture logs = new LogCapture(org.slf4j.Logger.ROOT_LOGGER_NAME)) {
            contexts().withPropertyValues("bridge.welcome.repository=JDBC",
                            "spring.datasource.url=jdbc:postgresql://127.0.0.1:" + closedPort + "/bridge?password=" + password,
                            "spring.datasource.username=bridge", "spring.datasource.password=" + password)
                    .run(context -> assertThat(failure(context))
                            .contains("bridge.welcome.repository (WELCOME_REPOSITORY) is 'jdbc', but the database "
                                    + "jdbc:postgresql://127.0.0.1:" + closedPort + "/bridge as user bridge cannot be used: "
                                    + "Connection to 127.0.0.1:" + closedPort + " refused")
                            .contains("check SPRING_DATASOURCE_URL, SPRING_DATASOURCE_USERNAME and SPRING_DATASOURCE_PASSWORD")
                            .doesNotContain(password));
            assertThat(logs.everything()).isNotEmpty().doesNotContain(password);
        }
    }

    private ApplicationContextRunner contexts() {
        return TestSettings.contexts()
                .withUserConfiguration(WelcomeRepositoryConfiguration.class, WelcomeDatabaseConfiguration.class)
                .withPropertyValues("bridge.data-dir=" + dir);
    }

    /** Every message in the chain of causes of the start-up failure, one a line. */
    static String failure(AssertableApplicationContext context) {
        assertThat(context).hasFailed();
        StringBuilder messages = new StringBuilder();
        for (Throwable t = context.getStartupFailure(); t != null; t = t.getCause()) {
            messages.append(t).append('\n');
        }
        return messages.toString();
    }
}
