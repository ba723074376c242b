package dev.breaker.spring.aop;

import dev.breaker.Breaker;
import dev.breaker.ErrorClassification;
import dev.breaker.spring.annotation.CircuitBreaker;
import org.aopalliance.intercept.MethodInvocation;
import org.jspecify.annotations.Nullable;
import org.springframework.aop.support.AopUtils;
import org.springframework.core.annotation.AnnotatedElementUtils;
import org.springframework.util.ReflectionUtils;

import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.util.List;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;
import java.util.function.Predicate;

/**
 * Resolves each method once, for the class of the object it is called on: whether it is protected, by which
 * breaker, with which fallback and adapter. Afterwards a call costs one map lookup.
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
        CallTimer timer = timers == null ? null : timers.forBreaker(breaker);
        ProtectedCall call = new ProtectedCall(specific, breaker, fallback, timer);
        if (retry == null || attempts == null) {
            return new AdaptedCall(adapter, call);
        }
        // Attempts follow errors the breaker records as failures; an Error ends the call whatever it says.
        Predicate<Throwable> retries = error -> !(error instanceof Error)
                && breaker.config().classify(error) == ErrorClassification.FAILURE;
        return new RetriedCall(adapter, call, retry, attempts, retries);
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
