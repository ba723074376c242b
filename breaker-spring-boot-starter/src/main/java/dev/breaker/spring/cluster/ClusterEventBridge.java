package dev.breaker.spring.cluster;

import dev.breaker.redis.ClusterEvent;
import dev.breaker.redis.RedisCluster;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.springframework.context.ApplicationEventPublisher;

/**
 * Publishes every {@link ClusterEvent} as a Spring application event ({@code @EventListener void on(ClusterEvent e)})
 * and logs it at INFO, naming the instance that caused it.
 */
public final class ClusterEventBridge {

    private static final Log LOGGER = LogFactory.getLog(ClusterEventBridge.class);

    /** Subscribes to the events of {@code cluster}. */
    public ClusterEventBridge(RedisCluster cluster, ApplicationEventPublisher publisher) {
        cluster.addListener(event -> {
            LOGGER.info(event);
            publisher.publishEvent(event);
        });
    }
}
