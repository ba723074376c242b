package dev.breaker.spring.http;

import dev.breaker.BreakerRegistry;
import dev.breaker.Ticker;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.jspecify.annotations.Nullable;
import org.springframework.context.SmartLifecycle;

import java.time.Duration;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;

/**
 * A breaker per downstream host, bounded: hosts with options of their own ({@code breaker.http-client.hosts}) each
 * have a breaker, always; other hosts get one each, created from the registry on their first request, up to
 * {@code maxBreakers}. Requests to further hosts share one overflow breaker (a WARN says so once), so that calls to
 * any number of hosts neither grow memory nor the number of meters without limit. A breaker whose host has had no
 * request for {@code idleEviction} is removed from the registry, with its meters, and frees its place; the host
 * gets a new breaker on its next request.
 */
public final class HostBreakers implements SmartLifecycle {

    private static final Log LOGGER = LogFactory.getLog(HostBreakers.class);

    private final BreakerRegistry registry;
    private final HostBreakerNames names;
    private final FailureStatuses failureStatuses;
    private final Predicate<String> listed;
    private final int maxBreakers;
    private final String overflowName;
    private final Duration idleEviction;
    private final Ticker ticker;
    private final Map<String, HostBreaker> byHost = new ConcurrentHashMap<>();
    /** Breakers of hosts not listed; changed only while holding this object's lock. */
    private volatile int unlisted;
    private volatile @Nullable HostBreaker overflow;
    private volatile @Nullable ScheduledExecutorService evictor;

    /**
     * @param listed whether a host has options of its own, and so a breaker that is never evicted nor counted
     * @param maxBreakers the most breakers of hosts not listed
     * @param overflowName the name of the breaker shared by the hosts beyond {@code maxBreakers}
     * @param idleEviction how long a breaker may go without a request before it is removed; zero keeps them
     * @param ticker the time source for idleness
     */
    public HostBreakers(BreakerRegistry registry, HostBreakerNames names, FailureStatuses failureStatuses,
                        Predicate<String> listed, int maxBreakers, String overflowName, Duration idleEviction,
                        Ticker ticker) {
        if (maxBreakers < 0) {
            throw new IllegalArgumentException("maxBreakers must be at least 0, was " + maxBreakers);
        }
        if (idleEviction.isNegative()) {
            throw new IllegalArgumentException("idleEviction must not be negative, was " + idleEviction);
        }
        this.registry = registry;
        this.names = names;
        this.failureStatuses = failureStatuses;
        this.listed = listed;
        this.maxBreakers = maxBreakers;
        this.overflowName = overflowName;
        this.idleEviction = idleEviction;
        this.ticker = ticker;
    }

    /** The breaker for a request to {@code host}: its own, or the overflow breaker beyond the cap. */
    public HostBreaker forHost(String host) {
        String key = host.toLowerCase(Locale.ROOT);
        long now = ticker.readCoarse();
        HostBreaker known = byHost.get(key);
        if (known == null) {
            known = admit(key, now);
        }
        known.touch(now);
        return known;
    }

    private HostBreaker admit(String host, long now) {
        boolean ownOptions = listed.test(host);
        if (!ownOptions && unlisted >= maxBreakers) {
            return overflow(now);
        }
        synchronized (this) {
            HostBreaker known = byHost.get(host);
            if (known != null) {
                return known;
            }
            if (!ownOptions && unlisted >= maxBreakers) {
                return overflow(now);
            }
            HostBreaker created = new HostBreaker(registry.breaker(names.nameFor(host)), failureStatuses,
                    !ownOptions, now);
            byHost.put(host, created);
            if (!ownOptions) {
                unlisted++;
            }
            return created;
        }
    }

    private HostBreaker overflow(long now) {
        HostBreaker shared = overflow;
        if (shared != null) {
            return shared;
        }
        synchronized (this) {
            if (overflow == null) {
                LOGGER.warn("HTTP client breakers: " + maxBreakers + " hosts have a breaker each "
                        + "(breaker.http-client.max-breakers); requests to further hosts share the breaker '"
                        + overflowName + "' until idle ones are evicted (breaker.http-client.idle-eviction). Raise "
                        + "max-breakers, or list the hosts that need a breaker of their own under "
                        + "breaker.http-client.hosts.");
                overflow = new HostBreaker(registry.breaker(overflowName), failureStatuses, false, now);
            }
            return overflow;
        }
    }

    /**
     * Removes the breakers of hosts not listed that had no request for the idle time, from here and from the
     * registry (which removes their meters). Requests in flight on a removed breaker still end on it.
     *
     * @return how many were removed
     */
    public synchronized int evictIdle() {
        if (idleEviction.isZero()) {
            return 0;
        }
        long now = ticker.readCoarse();
        long idleNanos = idleEviction.toNanos();
        int evicted = 0;
        for (Map.Entry<String, HostBreaker> entry : byHost.entrySet()) {
            HostBreaker host = entry.getValue();
            if (host.evictable() && now - host.lastUsed() >= idleNanos) {
                byHost.remove(entry.getKey());
                registry.remove(host.breaker().name());
                unlisted--;
                evicted++;
            }
        }
        return evicted;
    }

    /** How many hosts have a breaker of their own now. */
    public int size() {
        return byHost.size();
    }

    /** Starts checking for idle breakers in the background, every half idle time (at least every second). */
    @Override
    public synchronized void start() {
        if (idleEviction.isZero() || evictor != null) {
            return;
        }
        ScheduledExecutorService started = Executors.newSingleThreadScheduledExecutor(task -> {
            Thread thread = new Thread(task, "breaker-http-eviction");
            thread.setDaemon(true);
            return thread;
        });
        long period = Math.max(1000, idleEviction.toMillis() / 2);
        started.scheduleWithFixedDelay(() -> {
            try {
                evictIdle();
            } catch (RuntimeException e) {
                LOGGER.warn("Evicting idle HTTP client breakers failed", e);
            }
        }, period, period, TimeUnit.MILLISECONDS);
        evictor = started;
    }

    @Override
    public synchronized void stop() {
        ScheduledExecutorService running = evictor;
        if (running != null) {
            running.shutdownNow();
            evictor = null;
        }
    }

    @Override
    public boolean isRunning() {
        return evictor != null;
    }
}
