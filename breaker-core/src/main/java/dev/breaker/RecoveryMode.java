package dev.breaker;

/** How the admitted share of a {@link GradualRecovery} grows. */
public enum RecoveryMode {
    /** With the time since the ramp began, along Envoy's slow-start curve. */
    TIME,
    /** By a step for every so many successful calls: for services with little traffic. */
    SUCCESS_STEPS
}
