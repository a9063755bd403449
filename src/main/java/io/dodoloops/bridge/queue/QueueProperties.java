package io.dodoloops.bridge.queue;

import java.time.Duration;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.util.unit.DataSize;

import io.dodoloops.bridge.Settings;

/**
 * bridge.queue.*: the broker's queues and how the embedded broker keeps them. Defaults are in
 * application.yaml.
 *
 * @param webhooks             the queue accepted webhooks wait in for delivery
 * @param deadLetters          the queue of webhooks that could not be delivered, each with its reason
 * @param duplicateIdCacheSize how many recent webhook ids the embedded broker remembers to drop Dodo's retries
 *                             (DUPLICATE_ID_CACHE_SIZE)
 * @param journalSyncWindow    how long the embedded broker gathers webhooks into one fsync (JOURNAL_SYNC_WINDOW)
 * @param memoryLimit          webhooks waiting for delivery kept in memory; a longer backlog is paged to disk
 *                             (QUEUE_MEMORY_LIMIT)
 */
@ConfigurationProperties("bridge.queue")
public record QueueProperties(String webhooks, String deadLetters, Integer duplicateIdCacheSize, Duration journalSyncWindow,
                              DataSize memoryLimit) {

    public QueueProperties {
        Settings.requireText(webhooks, "bridge.queue.webhooks");
        Settings.requireText(deadLetters, "bridge.queue.dead-letters");
        Settings.require(!webhooks.equals(deadLetters), "bridge.queue.webhooks and bridge.queue.dead-letters must differ");
        Settings.require(duplicateIdCacheSize != null && duplicateIdCacheSize >= 1, "bridge.queue.duplicate-id-cache-size (DUPLICATE_ID_CACHE_SIZE) must be"
                + " at least 1, was " + duplicateIdCacheSize);
        Settings.requirePositive(journalSyncWindow, "bridge.queue.journal-sync-window (JOURNAL_SYNC_WINDOW)");
        Settings.requirePositive(memoryLimit, "bridge.queue.memory-limit (QUEUE_MEMORY_LIMIT)");
    }
}
