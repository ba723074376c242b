package dev.breaker.spring.aop;

import dev.breaker.spring.annotation.CircuitBreaker;
import org.aopalliance.aop.Advice;
import org.springframework.aop.Pointcut;
import org.springframework.aop.support.AbstractPointcutAdvisor;
import org.springframework.aop.support.ComposablePointcut;
import org.springframework.aop.support.annotation.AnnotationMatchingPointcut;

/**
 * Applies {@link BreakerMethodInterceptor} to methods annotated with {@link CircuitBreaker} and to the methods of
 * annotated types. Ordered among other advisors (such as {@code @Transactional}'s) by its order: a lower order
 * runs outside.
 */
public final class BreakerAdvisor extends AbstractPointcutAdvisor {

    private static final long serialVersionUID = 1L;

    private final transient BreakerMethodInterceptor interceptor;
    private final transient Pointcut pointcut;

    public BreakerAdvisor(BreakerMethodInterceptor interceptor, int order) {
        this.interceptor = interceptor;
        this.pointcut = new ComposablePointcut(new AnnotationMatchingPointcut(CircuitBreaker.class, true))
                .union(new AnnotationMatchingPointcut(null, CircuitBreaker.class, true));
        setOrder(order);
    }

    @Override
    public Pointcut getPointcut() {
        return pointcut;
    }

    @Override
    public Advice getAdvice() {
        return interceptor;
    }
}
