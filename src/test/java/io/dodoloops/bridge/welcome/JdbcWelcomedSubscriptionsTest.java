package io.dodoloops.bridge.welcome;

import java.sql.Connection;
import java.sql.ResultSet;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import com.zaxxer.hikari.HikariDataSource;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import io.dodoloops.bridge.PostgresServer;
import io.dodoloops.bridge.TestSettings;
import io.dodoloops.bridge.loops.LoopsFailures;
import io.dodoloops.bridge.transform.LogCapture;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;
import static org.awaitility.Awaitility.await;

/** The jdbc welcome repository on a real PostgreSQL server: shared, created once by bridges starting together, retried when down. */
class JdbcWelcomedSubscriptionsTest {

    private static PostgresServer postgres;

    @BeforeAll
    static void startPostgres() {
        postgres = PostgresServer.start();
    }

    @AfterAll
    static void stopPostgres() {
        if (postgres != null) {
            postgres.close();
        }
    }

    @Test
    void bridgesStartingTogetherOnAnEmptyDatabaseCreateOneTableAndShareIt() throws Exception {
        String url = postgres.createDatabase(newDatabaseName());
        int bridges = 6;
        List<HikariDataSource> pools = new ArrayList<>();
        List<JdbcWelcomedSubscriptions> repositories = new ArrayList<>();
        for (int i = 0; i < bridges; i++) {
            pools.add(pool(url, postgres.password()));
            repositories.add(new JdbcWelcomedSubscriptions(pools.get(i), url));
        }
        CountDownLatch go = new CountDownLatch(1);
        List<Callable<Void>> starts = repositories.stream().<Callable<Void>>map(r -> () -> {
            go.await();
            r.start();
            return null;
        }).toList();
        ExecutorService threads = Executors.newFixedThreadPool(bridges);
        try {
            List<Future<Void>> started = starts.stream().map(threads::submit).toList();
            go.countDown();
            for (Future<Void> f : started) {
                f.get(); // Camel's plain CREATE TABLE fails all but one of these
            }
            assertThat(repositories.get(0).add("sub_1")).isTrue();
            assertThat(repositories.get(bridges - 1).contains("sub_1")).isTrue();
            assertThat(repositories.get(bridges - 1).add("sub_1")).isFalse();
            assertThat(repositories.get(1).contains("sub_2")).isFalse();
            try (Connection connection = pools.get(0).getConnection();
                 ResultSet tables = connection.getMetaData().getTables(null, "public", "camel_messageprocessed", null)) {
                assertThat(tables.next()).isTrue();
            }
        } finally {
            threads.shutdownNow();
            repositories.forEach(JdbcWelcomedSubscriptions::stop);
            pools.forEach(HikariDataSource::close);
        }
    }

    @Test
    void aSubscriptionTwoBridgesRememberAtTheSameInstantIsRememberedOnceWithoutAFailure() throws Exception {
        String url = postgres.createDatabase(newDatabaseName());
        try (HikariDataSource poolA = pool(url, postgres.password()); HikariDataSource poolB = pool(url, postgres.password())) {
            JdbcWelcomedSubscriptions a = new JdbcWelcomedSubscriptions(poolA, url);
            JdbcWelcomedSubscriptions b = new JdbcWelcomedSubscriptions(poolB, url);
            a.start();
            b.start();
            ExecutorService threads = Executors.newFixedThreadPool(2);
            try {
                for (int i = 0; i < 50; i++) {
                    String id = "sub_race_" + i;
                    CountDownLatch go = new CountDownLatch(1);
                    Future<Boolean> byA = threads.submit(() -> {
                        go.await();
                        return a.add(id);
                    });
                    Future<Boolean> byB = threads.submit(() -> {
                        go.await();
                        return b.add(id);
                    });
                    go.countDown();
                    assertThat(List.of(byA.get(), byB.get())).as(id).containsExactlyInAnyOrder(true, false);
                }
            } finally {
                threads.shutdownNow();
            }
        }
    }

    @Test
    void aDatabaseOutageIsATransientFailureAndTheMemoryIsBackWithTheDatabase() throws Exception {
        String url = postgres.createDatabase(newDatabaseName());
        try (HikariDataSource pool = pool(url, postgres.password())) {
            JdbcWelcomedSubscriptions repository = new JdbcWelcomedSubscriptions(pool, url);
            repository.start();
            repository.add("sub_before");
            postgres.stop();
            try {
                Throwable lookUp = catchThrowable(() -> repository.contains("sub_before"));
                Throwable remember = catchThrowable(() -> repository.add("sub_during"));
                for (Throwable failure : List.of(lookUp, remember)) {
                    assertThat(failure).isInstanceOf(WelcomeDatabaseUnavailableException.class)
                            .hasMessageContaining(url).hasMessageNotContaining(postgres.password());
                    assertThat(LoopsFailures.isTransient(failure)).as("retried, not dead-lettered").isTrue();
                }
                assertThat(lookUp).hasMessageContaining("could not look up welcomed subscription sub_before");
                assertThat(remember).hasMessageContaining("could not remember welcomed subscription sub_during");
            } finally {
                postgres.startAgain();
            }
            // The pool reconnects on its own, within a second or two (a delivery meanwhile fails and is retried).
            await().atMost(Duration.ofSeconds(10)).ignoreExceptions().until(() -> repository.contains("sub_before"));
            assertThat(repository.contains("sub_during")).isFalse();
        }
    }

    @Test
    void aWrongPasswordStopsTheStartUpWithPostgresReasonAndWithoutThePassword() {
        String wrong = "wrong-" + UUID.randomUUID();
        try (LogCapture logs = new LogCapture(org.slf4j.Logger.ROOT_LOGGER_NAME)) {
            TestSettings.contexts()
                    .withUserConfiguration(WelcomeRepositoryConfiguration.class, WelcomeDatabaseConfiguration.class)
                    .withPropertyValues("bridge.data-dir=/tmp", "bridge.welcome.repository=jdbc",
                            "spring.datasource.url=" + postgres.jdbcUrl("postgres"),
                            "spring.datasource.username=" + PostgresServer.USER, "spring.datasource.password=" + wrong)
                    .run(context -> assertThat(WelcomeRepositoryConfigurationTest.failure(context))
                            .contains("but the database " + postgres.jdbcUrl("postgres") + " as user bridge cannot be used: "
                                    + "FATAL: password authentication failed for user \"bridge\"")
                            .doesNotContain(wrong));
            assertThat(logs.everything()).isNotEmpty().doesNotContain(wrong);
        }
    }

    static HikariDataSource pool(String url, String password) {
        HikariDataSource pool = new HikariDataSource();
        pool.setJdbcUrl(url);
        pool.setUsername(PostgresServer.USER);
        pool.setPassword(password);
        pool.setMaximumPoolSize(WelcomeDatabaseConfiguration.POOL_SIZE);
        pool.setConnectionTimeout(1_000);
        return pool;
    }

    static String newDatabaseName() {
        return "welcome_" + UUID.randomUUID().toString().replace("-", "");
    }
}
