/**
 * Cluster coordination of breakers through Redis: {@link dev.breaker.redis.RedisCluster} attaches to a
 * {@link dev.breaker.BreakerRegistry} and shares openings, quorum verdicts and one probe per outage between the
 * instances of an application, without a Redis round trip on any call.
 */
@NullMarked
package dev.breaker.redis;

import org.jspecify.annotations.NullMarked;
