/**
 * Cluster coordination in Spring (breaker-redis): the breakers endpoint's cluster sections and cluster-wide actions,
 * cluster events as application events, the cluster's meters and health.
 */
@NullMarked
package dev.breaker.spring.cluster;

import org.jspecify.annotations.NullMarked;
