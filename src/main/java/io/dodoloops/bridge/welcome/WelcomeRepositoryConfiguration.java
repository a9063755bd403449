package io.dodoloops.bridge.welcome;

import java.nio.file.Path;

import com.zaxxer.hikari.HikariDataSource;
import org.apache.camel.spi.IdempotentRepository;
import org.apache.camel.support.processor.idempotent.FileIdempotentRepository;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

import io.dodoloops.bridge.BridgeProperties;
import io.dodoloops.bridge.DataDirectory;

/**
 * The subscriptions that have had their {@code subscription_welcome}: routes/transform.yaml asks {@code contains}
 * to choose between welcome and reactivation, routes/delivery.yaml calls {@code add} once the welcome was sent.
 * {@code bridge.welcome.repository} (WELCOME_REPOSITORY) chooses where they are kept: {@code file} (the default) is
 * Camel's FileIdempotentRepository at {@code <data dir>/welcomed-subscriptions.txt}, one subscription_id a line, per
 * bridge; {@code jdbc} is {@link JdbcWelcomedSubscriptions} on PostgreSQL, one repository shared by every bridge.
 */
@Configuration(proxyBeanMethods = false)
public class WelcomeRepositoryConfiguration {

    public static final String FILE_NAME = "welcomed-subscriptions.txt";
    /** Ids kept in memory; every id not among them is looked up in the file (contains reads it line by line). */
    static final int CACHE_SIZE = 100_000;
    /**
     * Camel drops the oldest 1,000 ids when the file passes maxFileStoreSize (32 MB by default, about a million
     * ids): those customers would be welcomed again. 1 GB is some 30 million subscriptions.
     */
    static final long MAX_FILE_SIZE = 1L << 30;

    private static final Logger LOG = LoggerFactory.getLogger(WelcomeRepositoryConfiguration.class);

    @Bean(name = "welcomedSubscriptions", initMethod = "start", destroyMethod = "stop")
    public IdempotentRepository welcomedSubscriptions(WelcomeProperties welcome, BridgeProperties bridge,
                                                      ObjectProvider<HikariDataSource> welcomeDataSource) {
        return welcome.shared()
                ? jdbc(welcomeDataSource.getObject()) // WelcomeDatabaseConfiguration, jdbc only
                : file(bridge.dataDir().resolve(FILE_NAME));
    }

    static JdbcWelcomedSubscriptions jdbc(HikariDataSource pool) {
        String database = WelcomeDatabaseConfiguration.describe(pool);
        LOG.info("Welcomed subscriptions are remembered in the shared database {} (table {}, processorName {})", database,
                "CAMEL_MESSAGEPROCESSED", JdbcWelcomedSubscriptions.PROCESSOR_NAME);
        return new JdbcWelcomedSubscriptions(pool, database);
    }

    static FileIdempotentRepository file(Path file) {
        DataDirectory.create(file.toAbsolutePath().getParent());
        FileIdempotentRepository repository = (FileIdempotentRepository)
                FileIdempotentRepository.fileIdempotentRepository(file.toFile(), CACHE_SIZE, MAX_FILE_SIZE);
        LOG.info("Welcomed subscriptions are remembered in {}", file.toAbsolutePath());
        return repository;
    }
}
