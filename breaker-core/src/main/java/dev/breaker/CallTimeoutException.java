package dev.breaker;

import java.time.Duration;
import java.util.Locale;

/**
 * A call that took longer than its breaker's timeout: recorded as a failure, and answered by a fallback where there
 * is one. Without a stack trace: it says where the time went, not where it was measured.
 */
public final class CallTimeoutException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    private final String breakerName;
    private final Duration timeout;

    /**
     * @param breakerName the breaker whose timeout passed
     * @param timeout the timeout that passed
     */
    public CallTimeoutException(String breakerName, Duration timeout) {
        super(null, null, false, false);
        this.breakerName = breakerName;
        this.timeout = timeout;
    }

    /** The breaker whose timeout passed. */
    public String breakerName() {
        return breakerName;
    }

    /** The timeout that passed. */
    public Duration timeout() {
        return timeout;
    }

    @Override
    public String getMessage() {
        return "A call of breaker '" + breakerName + "' took longer than its timeout of "
                + String.format(Locale.ROOT, "%.3fs", timeout.toNanos() / 1e9);
    }
}
