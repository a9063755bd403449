package io.dodoloops.bridge.welcome;

import com.zaxxer.hikari.HikariDataSource;
import org.springframework.boot.autoconfigure.jdbc.DataSourceProperties;
import org.springframework.boot.context.properties.bind.Bindable;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Condition;
import org.springframework.context.annotation.ConditionContext;
import org.springframework.context.annotation.Conditional;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.env.Environment;
import org.springframework.core.type.AnnotatedTypeMetadata;

/**
 * WELCOME_REPOSITORY=jdbc only: the connection pool for {@link JdbcWelcomedSubscriptions}, from the standard
 * SPRING_DATASOURCE_URL / _USERNAME / _PASSWORD (and SPRING_DATASOURCE_HIKARI_*). Spring Boot's own DataSource
 * auto-configuration is excluded (BridgeApplication): it would demand a database from every bridge, file mode included.
 * Being a bean, the pool also shows as {@code db} in /actuator/health and as hikaricp_* metrics.
 */
@Configuration(proxyBeanMethods = false)
@Conditional(WelcomeDatabaseConfiguration.JdbcSelected.class)
public class WelcomeDatabaseConfiguration {

    /** WELCOME_REPOSITORY is jdbc (a condition runs before beans exist, so it binds the setting itself). */
    static class JdbcSelected implements Condition {
        @Override
        public boolean matches(ConditionContext context, AnnotatedTypeMetadata metadata) {
            return Binder.get(context.getEnvironment()).bind("bridge.welcome", WelcomeProperties.class)
                    .map(WelcomeProperties::shared).orElse(false);
        }
    }

    /** Two lookups at a time are plenty: one short query per subscription.active, one insert per welcome sent. */
    static final int POOL_SIZE = 2;
    /** A delivery waits this long for a connection before the attempt fails and is retried (Hikari's default: 30 s). */
    static final long CONNECTION_TIMEOUT_MS = 5_000;

    @Bean(destroyMethod = "close")
    public HikariDataSource welcomeDataSource(Environment environment) throws Exception {
        Binder binder = Binder.get(environment);
        DataSourceProperties properties = binder.bind("spring.datasource", DataSourceProperties.class)
                .orElseGet(DataSourceProperties::new);
        if (properties.getUrl() == null || properties.getUrl().isBlank()) {
            throw new IllegalStateException("bridge.welcome.repository (WELCOME_REPOSITORY) is 'jdbc' but SPRING_DATASOURCE_URL "
                    + "is not set: set it to the PostgreSQL database all bridges share (e.g. jdbc:postgresql://db:5432/bridge), "
                    + "with SPRING_DATASOURCE_USERNAME and SPRING_DATASOURCE_PASSWORD");
        }
        properties.afterPropertiesSet();
        HikariDataSource pool = properties.initializeDataSourceBuilder().type(HikariDataSource.class).build();
        pool.setPoolName("welcome");
        pool.setMaximumPoolSize(POOL_SIZE);
        pool.setConnectionTimeout(CONNECTION_TIMEOUT_MS);
        binder.bind("spring.datasource.hikari", Bindable.ofInstance(pool)); // the operator's settings win
        return pool;
    }

    /** The database for messages: the URL without its parameters (a password may be among them), and the user. */
    static String describe(HikariDataSource pool) {
        String url = pool.getJdbcUrl();
        int parameters = url.indexOf('?');
        return (parameters < 0 ? url : url.substring(0, parameters))
                + (pool.getUsername() == null ? "" : " as user " + pool.getUsername());
    }
}
