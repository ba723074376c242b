package dev.breaker;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.concurrent.atomic.AtomicLong;

/** A ticker that moves only when told to, with a wall clock that moves with it. Thread-safe. */
public final class FakeTicker implements Ticker {

    /** The wall time at ticker reading 0. */
    public static final Instant EPOCH = Instant.parse("2026-01-01T00:00:00Z");

    private final AtomicLong nanos = new AtomicLong();

    @Override
    public long read() {
        return nanos.get();
    }

    /** Moves time forward. */
    public FakeTicker advance(Duration duration) {
        nanos.addAndGet(duration.toNanos());
        return this;
    }

    /** Moves time forward by nanoseconds. */
    public FakeTicker advanceNanos(long delta) {
        nanos.addAndGet(delta);
        return this;
    }

    /** The wall time that corresponds to the current reading. */
    public Instant now() {
        return EPOCH.plusNanos(nanos.get());
    }

    /** A wall clock that follows this ticker. */
    public Clock clock() {
        return new Clock() {
            @Override
            public ZoneId getZone() {
                return ZoneOffset.UTC;
            }

            @Override
            public Clock withZone(ZoneId zone) {
                throw new UnsupportedOperationException();
            }

            @Override
            public Instant instant() {
                return now();
            }
        };
    }
}
