package dev.breaker.spring.aop;

import org.aopalliance.intercept.MethodInterceptor;
import org.aopalliance.intercept.MethodInvocation;
import org.jspecify.annotations.Nullable;
import org.springframework.util.function.SingletonSupplier;

import java.util.function.Supplier;

/** The advice around {@code @CircuitBreaker} methods: looks up the method's resolved protection and applies it. */
public final class BreakerMethodInterceptor implements MethodInterceptor {

    private final SingletonSupplier<ProtectedMethods> methods;

    /**
     * @param methods the resolved methods, obtained on the first call so that creating the advisor early (as
     *     auto-proxy creators do) does not create the registry and its customizers early
     */
    public BreakerMethodInterceptor(Supplier<ProtectedMethods> methods) {
        this.methods = SingletonSupplier.of(methods);
    }

    @Override
    public @Nullable Object invoke(MethodInvocation invocation) throws Throwable {
        return methods.obtain().invoke(invocation);
    }
}
