package dev.breaker;

import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;

/** How breakers read the errors of calls; shared by the core and the integrations so that all judge alike. */
public final class CallErrors {

    private CallErrors() {
    }

    /**
     * The error a call really failed with: the cause of a {@link CompletionException} or {@link ExecutionException}
     * (the wrappers of asynchronous results), the error itself otherwise.
     */
    public static Throwable unwrap(Throwable error) {
        if ((error instanceof CompletionException || error instanceof ExecutionException) && error.getCause() != null) {
            return error.getCause();
        }
        return error;
    }

    /** Whether an asynchronous call ended by being cancelled rather than with an outcome of its own. */
    public static boolean isCancellation(Throwable error) {
        return unwrap(error) instanceof CancellationException;
    }
}
