package dev.breaker.spring.aop;

import dev.breaker.Breaker;
import dev.breaker.Priority;
import dev.breaker.ErrorClassification;
import dev.breaker.spring.annotation.CircuitBreaker;
import dev.breaker.spring.dependencies.InvalidBreakerDependencyException;
import org.aopalliance.intercept.MethodInvocation;
import org.jspecify.annotations.Nullable;
import org.springframework.aop.support.AopUtils;
import org.springframework.core.annotation.AnnotatedElementUtils;
import org.springframework.util.ReflectionUtils;

import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;
import java.util.function.Predicate;

/**
 * Resolves each method once, for the class of the object it is called on: whether it is protected, by which
 * breaker, with which fallback, timeout and adapter. Afterwards a call costs one map lookup.
 */
public final class ProtectedMethods {

    /** How one method of one target class is called. */
    @FunctionalInterface
    interface Binding {
        @Nullable Object invoke(MethodInvocation invocation) throws Throwable;
    }

    private static final Binding NOT_PROTECTED = MethodInvocation::proceed;

    /** Bindings of one method, one per target class it was called on (almost always exactly one). */
    private record Entry(Class<?> targetClass, Binding binding, @Nullable Entry next) {
    }

    private final ConcurrentHashMap<Method, Entry> cache = new ConcurrentHashMap<>();
    private final Function<String, Breaker> breakers;
    private final List<CallAdapter> adapters;
    private final CallTimer.@Nullable Factory timers;

    /**
     * @param breakers the breaker for a name, created if needed
     * @param adapters the return-type adapters in the order they are asked
     * @param timers the call timers, or {@code null} to time nothing beyond what breakers need
     */
    public ProtectedMethods(Function<String, Breaker> breakers, List<CallAdapter> adapters,
                            CallTimer.@Nullable Factory timers) {
        this.breakers = breakers;
        this.adapters = List.copyOf(adapters);
        this.timers = timers;
    }

    /** Calls {@code invocation} with the protection its method has on its target. */
    @Nullable Object invoke(MethodInvocation invocation) throws Throwable {
        Object target = invocation.getThis();
        Method method = invocation.getMethod();
        Class<?> targetClass = target != null ? target.getClass() : method.getDeclaringClass();
        for (Entry entry = cache.get(method); entry != null; entry = entry.next()) {
            if (entry.targetClass() == targetClass) {
                return entry.binding().invoke(invocation);
            }
        }
        return bindingFor(method, targetClass).invoke(invocation);
    }

    /**
     * Resolves {@code method} on {@code targetClass}, creating its breaker and checking its fallback.
     *
     * @return the protected call, or {@code null} if the method is not protected
     * @throws InvalidFallbackMethodException if its fallback does not exist or does not fit
     * @throws InvalidTimeoutAttributeException if its timeout is not a positive duration, or not longer than its
     *     breaker's slow-call duration
     */
    public @Nullable ProtectedCall resolve(Method method, Class<?> targetClass) {
        Binding binding = bindingFor(method, targetClass);
        if (binding instanceof RetriedCall retried) {
            return retried.call;
        }
        return binding instanceof AdaptedCall adapted ? adapted.call : null;
    }

    private Binding bindingFor(Method method, Class<?> targetClass) {
        Entry head = cache.get(method);
        for (Entry entry = head; entry != null; entry = entry.next()) {
            if (entry.targetClass() == targetClass) {
                return entry.binding();
            }
        }
        Binding binding = create(method, targetClass);
        cache.compute(method, (key, current) -> new Entry(targetClass, binding, current));
        return binding;
    }

    private Binding create(Method method, Class<?> targetClass) {
        Method specific = AopUtils.getMostSpecificMethod(method, targetClass);
        CircuitBreaker annotation = findAnnotation(specific, method, targetClass);
        if (annotation == null) {
            return NOT_PROTECTED;
        }
        CallAdapter adapter = adapters.stream().filter(a -> a.supports(specific)).findFirst()
                .orElseThrow(() -> new IllegalStateException("No CallAdapter supports " + specific));
        FallbackMethod fallback = annotation.fallbackMethod().isEmpty() ? null
                : FallbackMethodResolver.resolve(targetClass, specific, annotation, adapter);
        RetryPolicy retry = RetryPolicy.of(annotation, specific);
        RetryingInvocation.Kind attempts = retry == null ? null : RetryingInvocation.kindOf(adapter, specific);
        Breaker breaker = breakers.apply(annotation.name());
        long timeoutNanos = InvalidTimeoutAttributeException.nanos(specific, targetClass, annotation, breaker);
        requireDependencies(breaker, annotation, specific, targetClass);
        Priority priority = priorityOf(annotation, specific, targetClass);
        CallTimer timer = timers == null ? null : timers.forBreaker(breaker);
        ProtectedCall call = new ProtectedCall(specific, breaker, fallback, timer, timeoutNanos, priority);
        if (retry == null || attempts == null) {
            return new AdaptedCall(adapter, call);
        }
        // Attempts follow errors the breaker records as failures; an Error ends the call whatever it says.
        Predicate<Throwable> retries = error -> !(error instanceof Error)
                && breaker.config().classify(error) == ErrorClassification.FAILURE;
        return new RetriedCall(adapter, call, retry, attempts, retries);
    }

    /**
     * The annotation's priority, or {@code null}. Tells breakers that calls carry priorities from now on: once, here,
     * rather than on every call.
     */
    private static @Nullable Priority priorityOf(CircuitBreaker annotation, Method method, Class<?> targetClass) {
        Priority[] priority = annotation.priority();
        if (priority.length > 1) {
            throw new IllegalStateException("@CircuitBreaker(name = \"" + annotation.name() + "\") on "
                    + UninterceptableMethodException.describe(method, targetClass) + " names "
                    + priority.length + " priorities " + Arrays.toString(priority) + "; name one, or none for the "
                    + "breaker's default-priority.");
        }
        if (priority.length == 0) {
            return null;
        }
        Priority.markInUse();
        return priority[0];
    }

    /**
     * Checks that the breaker was created with the dependencies the annotation declares. It is, unless the breaker
     * existed before its annotations were read: created in code with a configuration of its own, or named only on a
     * bean whose type was not known before the bean was created.
     */
    private static void requireDependencies(Breaker breaker, CircuitBreaker annotation, Method method,
                                            Class<?> targetClass) {
        List<String> declared = List.of(annotation.dependsOn());
        if (breaker.config().dependsOn().containsAll(declared)) {
            return;
        }
        throw new InvalidBreakerDependencyException("@CircuitBreaker(name = \"" + annotation.name()
                + "\") on " + UninterceptableMethodException.describe(method, targetClass) + " declares dependsOn "
                + declared + ", but breaker '" + breaker.name() + "' was created with " + breaker.config().dependsOn()
                + ": it existed before this annotation was read (created in code, or the bean's type was not known "
                + "before the bean was created).",
                "Set breaker.instances." + annotation.name() + ".depends-on to " + declared + ", or let the @Bean "
                        + "method of " + targetClass.getName() + " declare that class as its return type.");
    }

    /** The annotation on the method, or for a public instance method on its class. */
    static @Nullable CircuitBreaker findAnnotation(Method specific, Method method, Class<?> targetClass) {
        CircuitBreaker annotation = AnnotatedElementUtils.findMergedAnnotation(specific, CircuitBreaker.class);
        if (annotation == null && specific != method) {
            annotation = AnnotatedElementUtils.findMergedAnnotation(method, CircuitBreaker.class);
        }
        if (annotation != null) {
            return annotation;
        }
        int modifiers = specific.getModifiers();
        if (!Modifier.isPublic(modifiers) || Modifier.isStatic(modifiers) || ReflectionUtils.isObjectMethod(specific)) {
            return null;
        }
        annotation = AnnotatedElementUtils.findMergedAnnotation(targetClass, CircuitBreaker.class);
        if (annotation == null) {
            annotation = AnnotatedElementUtils.findMergedAnnotation(method.getDeclaringClass(), CircuitBreaker.class);
        }
        return annotation;
    }

    private record AdaptedCall(CallAdapter adapter, ProtectedCall call) implements Binding {
        @Override
        public @Nullable Object invoke(MethodInvocation invocation) throws Throwable {
            return adapter.invoke(invocation, call);
        }
    }

    /** A method with {@code retry}: its adapter sees one call, whose proceeding makes the attempts. */
    private record RetriedCall(CallAdapter adapter, ProtectedCall call, RetryPolicy policy,
                               RetryingInvocation.Kind attempts, Predicate<Throwable> retries) implements Binding {
        @Override
        public @Nullable Object invoke(MethodInvocation invocation) throws Throwable {
            return adapter.invoke(new RetryingInvocation(invocation, policy, attempts, retries), call);
        }
    }
}
