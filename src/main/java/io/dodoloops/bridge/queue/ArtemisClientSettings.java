package io.dodoloops.bridge.queue;

import org.apache.activemq.artemis.jms.client.ActiveMQConnectionFactory;
import org.springframework.beans.factory.config.BeanPostProcessor;
import org.springframework.jms.connection.CachingConnectionFactory;
import org.springframework.stereotype.Component;

/**
 * Two settings of the Artemis client, for the embedded broker and an external one alike (set here even if an
 * external broker's URL says otherwise):
 * <ul>
 * <li>Each JMS session remembers the queues it has looked up. Camel's JMS producer resolves the queue by name for
 * every webhook it stores, and Artemis answers {@code createQueue} with a blocking round trip to the broker (a queue
 * query) unless the connection factory caches destinations. The queues are the broker's own, created at start-up;
 * nothing deletes them while the bridge runs.</li>
 * <li>Delivery's consumers take one webhook at a time, with no prefetch buffer ({@code consumerWindowSize=0}). A
 * webhook handed back to the broker (Loops failing) rolls back its session, and with a buffer that returned every
 * webhook prefetched behind it too, each to wait out the broker's redelivery delay (30 s and more) and to count one
 * more delivery attempt; they were also held on the heap meanwhile (7,784 of them after a few minutes of a Loops
 * outage, docs/performance-history.md).</li>
 * </ul>
 */
@Component
public class ArtemisClientSettings implements BeanPostProcessor {

    @Override
    public Object postProcessAfterInitialization(Object bean, String beanName) {
        if (bean instanceof ActiveMQConnectionFactory artemis) {
            configure(artemis);
        } else if (bean instanceof CachingConnectionFactory caching
                && caching.getTargetConnectionFactory() instanceof ActiveMQConnectionFactory artemis) {
            configure(artemis);
        }
        return bean;
    }

    private static void configure(ActiveMQConnectionFactory artemis) {
        artemis.setCacheDestinations(true);
        artemis.setConsumerWindowSize(0);
    }
}
