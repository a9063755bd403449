package io.dodoloops.bridge.queue;

import org.apache.activemq.artemis.core.settings.impl.AddressFullMessagePolicy;
import org.apache.activemq.artemis.core.settings.impl.AddressSettings;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.autoconfigure.jms.artemis.ArtemisConfigurationCustomizer;
import org.springframework.core.env.Environment;
import org.springframework.stereotype.Component;

import io.dodoloops.bridge.delivery.DeliveryProperties;

/**
 * Broker-side policy for the embedded Artemis: remember enough webhook ids to drop Dodo's retries, and redeliver a
 * webhook that delivery handed back (Loops down) later instead of at once. An external broker needs the same
 * address settings; docs/operating.md, External broker, shows them.
 */
@Component
public class EmbeddedBrokerSettings implements ArtemisConfigurationCustomizer {

    private static final Logger LOG = LoggerFactory.getLogger(EmbeddedBrokerSettings.class);
    /** Last resort only: delivery dead-letters with a reason long before this, see bridge.delivery.give-up-after. */
    private static final int MAX_DELIVERY_ATTEMPTS = 1000;

    private final QueueProperties queue;
    private final DeliveryProperties delivery;
    private final boolean jmx;

    public EmbeddedBrokerSettings(QueueProperties queue, DeliveryProperties delivery, Environment environment) {
        this.queue = queue;
        this.delivery = delivery;
        this.jmx = environment.getProperty("spring.jmx.enabled", Boolean.class, false); // Spring's own setting
    }

    @Override
    public void customize(org.apache.activemq.artemis.core.config.Configuration configuration) {
        // Queue depths (MessageCount of dodo.webhooks and its DLQ) in JMX, beside Camel's and the bridge's MBeans.
        configuration.setJMXManagementEnabled(jmx);
        configuration.setIDCacheSize(queue.duplicateIdCacheSize());
        // Each 202 waits for the journal's fsync; the NIO journal batches the syncs of concurrent webhooks over this
        // window (default 3.3 ms). A local disk syncs in well under a millisecond, so a shorter window answers sooner
        // and still groups the webhooks that arrive together.
        configuration.setJournalBufferTimeout_NIO((int) queue.journalSyncWindow().toNanos());
        configuration.setPersistIDCache(true);
        configuration.addAddressSetting(queue.webhooks(), new AddressSettings()
                .setRedeliveryDelay(delivery.brokerRedeliveryDelay().toMillis())
                .setRedeliveryMultiplier(2.0)
                .setMaxRedeliveryDelay(delivery.brokerRedeliveryMaxDelay().toMillis())
                .setMaxDeliveryAttempts(MAX_DELIVERY_ATTEMPTS)
                // A backlog (Loops slow or down) beyond this is paged to disk instead of filling the heap: by default
                // the broker would hold up to half the heap in messages, and a full heap costs GC more CPU than paging.
                .setMaxSizeBytes(queue.memoryLimit().toBytes())
                .setAddressFullMessagePolicy(AddressFullMessagePolicy.PAGE)
                // And a backlog read back from the page files is held to the same limit: Artemis' own default is two
                // page files (20 MB), more than the limit promises.
                .setMaxReadPageBytes((int) Math.min(Integer.MAX_VALUE, queue.memoryLimit().toBytes()))
                .setDeadLetterAddress(org.apache.activemq.artemis.api.core.SimpleString.of(queue.deadLetters())));
        LOG.info("Embedded broker journal in {}", configuration.getJournalLocation().getAbsolutePath());
    }
}
