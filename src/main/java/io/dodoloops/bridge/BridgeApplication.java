package io.dodoloops.bridge;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.SpringBootConfiguration;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.boot.autoconfigure.AutoConfigurationExcludeFilter;
import org.springframework.boot.autoconfigure.jdbc.DataSourceAutoConfiguration;
import org.springframework.boot.autoconfigure.jdbc.DataSourceTransactionManagerAutoConfiguration;
import org.springframework.boot.context.TypeExcludeFilter;
import org.springframework.boot.context.properties.ConfigurationPropertiesScan;
import org.springframework.context.annotation.ComponentScan;
import org.springframework.context.annotation.FilterType;

import io.dodoloops.bridge.admin.BridgeCli;

/**
 * The bridge; or, when the first argument is a word rather than an option ({@code dry-run}, {@code dead-letters},
 * {@code outbox send}, {@code help}, or a mistyped command), the operator's command line talking to a running bridge
 * (or, for the outbox, to Loops).
 */
@SpringBootConfiguration
@ConfigurationPropertiesScan // the typed settings: a *Properties record per concern, checked as they are bound
// No database unless WELCOME_REPOSITORY=jdbc, which makes its own pool (welcome.WelcomeDatabaseConfiguration): Boot's
// would refuse to start without SPRING_DATASOURCE_URL, and its transaction manager would be one nothing here uses.
@EnableAutoConfiguration(exclude = {DataSourceAutoConfiguration.class, DataSourceTransactionManagerAutoConfiguration.class})
// @SpringBootApplication's scan, minus admin.web: the admin endpoints belong to the management port alone.
@ComponentScan(excludeFilters = {
        @ComponentScan.Filter(type = FilterType.CUSTOM, classes = TypeExcludeFilter.class),
        @ComponentScan.Filter(type = FilterType.CUSTOM, classes = AutoConfigurationExcludeFilter.class),
        @ComponentScan.Filter(type = FilterType.REGEX, pattern = "io\\.dodoloops\\.bridge\\.admin\\.web\\..*")})
public class BridgeApplication {

    public static void main(String[] args) throws Exception {
        if (BridgeCli.isCommand(args)) {
            System.exit(BridgeCli.run(args));
        }
        // The broker's Netty buffer pool keeps one 4 MB chunk per arena, and makes 2 arenas per core: one is plenty
        // for the bridge's traffic and keeps 12 MB more of the heap free (measured, docs/performance-history.md). A -D wins.
        if (System.getProperty("io.netty.allocator.numHeapArenas") == null) {
            System.setProperty("io.netty.allocator.numHeapArenas", "1");
        }
        SpringApplication.run(BridgeApplication.class, args);
    }
}
