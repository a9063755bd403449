package io.dodoloops.bridge.queue;

import org.apache.activemq.artemis.jms.client.ActiveMQConnectionFactory;
import org.springframework.beans.factory.config.BeanPostProcessor;
import org.springframework.jms.connection.CachingConnectionFactory;
import org.springframework.stereotype.Component;

/**
 * Lets each JMS session remember the queues it has looked up. Camel's JMS producer resolves the queue by name for
 * every webhook it stores, and Artemis answers {@code createQueue} with a blocking round trip to the broker (a
 * queue query) unless the connection factory caches destinations: one broker round trip per webhook, before the
 * store itself. The queues are the broker's own, created at start-up; nothing deletes them while the bridge runs.
 * An external broker's URL may say {@code cacheDestinations=true} itself; this sets it either way.
 */
@Component
public class DestinationCache implements BeanPostProcessor {

    @Override
    public Object postProcessAfterInitialization(Object bean, String beanName) {
        if (bean instanceof ActiveMQConnectionFactory artemis) {
            artemis.setCacheDestinations(true);
        } else if (bean instanceof CachingConnectionFactory caching
                && caching.getTargetConnectionFactory() instanceof ActiveMQConnectionFactory artemis) {
            artemis.setCacheDestinations(true);
        }
        return bean;
    }
}
