package dev.breaker.spring.aot;

import dev.breaker.spring.actuate.BreakerConfigOperation;
import dev.breaker.spring.actuate.BreakerDescriptor;
import dev.breaker.spring.actuate.BreakerEventsEndpoint;
import dev.breaker.spring.actuate.BreakersEndpoint;
import dev.breaker.spring.actuate.EventDescriptor;
import dev.breaker.spring.annotation.CircuitBreaker;
import dev.breaker.spring.annotation.Retry;
import dev.breaker.spring.autoconfigure.BreakerProperties;
import org.jspecify.annotations.Nullable;
import org.springframework.aot.hint.MemberCategory;
import org.springframework.aot.hint.RuntimeHints;
import org.springframework.aot.hint.RuntimeHintsRegistrar;
import org.springframework.aot.hint.BindingReflectionHintsRegistrar;
import org.springframework.boot.context.properties.bind.BindableRuntimeHintsRegistrar;
import org.springframework.util.ClassUtils;

/**
 * The hints every application with the starter needs in a native image: binding {@code breaker.*} into
 * {@link BreakerProperties} (also when the properties are bound again at runtime, by a refresh), serializing the
 * endpoints' descriptors to JSON, reading the {@code @CircuitBreaker} and {@code @Retry} attributes, and the
 * dashboard's resources. The fallback methods of each bean are registered by {@link FallbackMethodsAotProcessor}.
 */
public final class BreakerRuntimeHints implements RuntimeHintsRegistrar {

    /** The resources the starter reads from the class path. */
    static final String[] RESOURCES = {"META-INF/breaker/dashboard.html", "META-INF/breaker/grafana-dashboard.json"};

    @Override
    public void registerHints(RuntimeHints hints, @Nullable ClassLoader classLoader) {
        BindableRuntimeHintsRegistrar.forTypes(BreakerProperties.class).registerHints(hints, classLoader);
        for (Class<?> annotation : new Class<?>[] {CircuitBreaker.class, Retry.class}) {
            hints.reflection().registerType(annotation, MemberCategory.INVOKE_PUBLIC_METHODS);
        }
        for (String resource : RESOURCES) {
            hints.resources().registerPattern(resource);
        }
        if (ClassUtils.isPresent("org.springframework.boot.actuate.endpoint.OperationResponseBody", classLoader)) {
            new BindingReflectionHintsRegistrar().registerReflectionHints(hints.reflection(),
                    BreakersEndpoint.BreakersDescriptor.class, BreakerDescriptor.class,
                    BreakersEndpoint.StateDescriptor.class, BreakersEndpoint.ErrorDescriptor.class,
                    BreakerEventsEndpoint.EventsDescriptor.class, EventDescriptor.class,
                    BreakerConfigOperation.InvalidOptionsDescriptor.class);
        }
    }
}
