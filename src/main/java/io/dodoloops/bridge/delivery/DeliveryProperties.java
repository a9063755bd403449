package io.dodoloops.bridge.delivery;

import java.time.Duration;

import org.springframework.boot.context.properties.ConfigurationProperties;

import io.dodoloops.bridge.Settings;

/**
 * bridge.delivery.*: how queued webhooks are delivered and how long a transient failure is retried. Defaults
 * are in application.yaml; routes/delivery.yaml and routes/error-handling.yaml read the same settings.
 *
 * @param consumers                parallel consumers of the webhook queue (DELIVERY_CONSUMERS)
 * @param retries                  in-route retries of a transient Loops failure (DELIVERY_RETRIES)
 * @param retryDelayMs             the first in-route retry's delay in ms, doubling (DELIVERY_RETRY_DELAY_MS)
 * @param retryMaxDelayMs          the longest in-route retry delay in ms (DELIVERY_RETRY_MAX_DELAY_MS)
 * @param brokerRedeliveryDelay    then the webhook goes back to the embedded broker, redelivered after this
 *                                 (BROKER_REDELIVERY_DELAY), doubling
 * @param brokerRedeliveryMaxDelay up to this (BROKER_REDELIVERY_MAX_DELAY)
 * @param giveUpAfter              a webhook Loops still refuses this long after it was received is dead-lettered
 *                                 (DELIVERY_GIVE_UP_AFTER)
 */
@ConfigurationProperties("bridge.delivery")
public record DeliveryProperties(Integer consumers, Integer retries, Long retryDelayMs, Long retryMaxDelayMs,
                                 Duration brokerRedeliveryDelay, Duration brokerRedeliveryMaxDelay, Duration giveUpAfter) {

    public DeliveryProperties {
        Settings.require(consumers != null && consumers >= 1, "bridge.delivery.consumers (DELIVERY_CONSUMERS) must be at least 1, was " + consumers);
        Settings.require(retries != null && retries >= 0, "bridge.delivery.retries (DELIVERY_RETRIES) must not be negative, was " + retries);
        Settings.require(retryDelayMs != null && retryDelayMs >= 0, "bridge.delivery.retry-delay-ms (DELIVERY_RETRY_DELAY_MS) must not be"
                + " negative, was " + retryDelayMs);
        Settings.require(retryMaxDelayMs != null && retryMaxDelayMs >= retryDelayMs, "bridge.delivery.retry-max-delay-ms (DELIVERY_RETRY_MAX_DELAY_MS,"
                + " " + retryMaxDelayMs + ") must not be below bridge.delivery.retry-delay-ms (" + retryDelayMs + ")");
        Settings.requirePositive(brokerRedeliveryDelay, "bridge.delivery.broker-redelivery-delay (BROKER_REDELIVERY_DELAY)");
        Settings.requirePositive(brokerRedeliveryMaxDelay, "bridge.delivery.broker-redelivery-max-delay (BROKER_REDELIVERY_MAX_DELAY)");
        Settings.require(brokerRedeliveryMaxDelay.compareTo(brokerRedeliveryDelay) >= 0, "bridge.delivery.broker-redelivery-max-delay"
                + " (BROKER_REDELIVERY_MAX_DELAY, " + brokerRedeliveryMaxDelay + ") must not be below"
                + " bridge.delivery.broker-redelivery-delay (" + brokerRedeliveryDelay + ")");
        Settings.requirePositive(giveUpAfter, "bridge.delivery.give-up-after (DELIVERY_GIVE_UP_AFTER)");
    }
}
