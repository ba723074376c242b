package dev.breaker.spring.aop;

import dev.breaker.spring.annotation.CircuitBreaker;
import org.springframework.aop.support.AopUtils;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.beans.factory.config.BeanPostProcessor;
import org.springframework.core.annotation.AnnotationUtils;
import org.springframework.util.ClassUtils;
import org.springframework.util.ReflectionUtils;

/**
 * Resolves every {@code @CircuitBreaker} method of each bean as the bean is created, so that a missing or
 * mismatched fallback, or a method no proxy can intercept, stops the application at startup and the breakers exist
 * before the first call. Not ordered, so that it runs after the (ordered) auto-proxy creator and sees the proxy.
 */
public final class ProtectedMethodsValidator implements BeanPostProcessor {

    private final ObjectProvider<ProtectedMethods> methods;

    public ProtectedMethodsValidator(ObjectProvider<ProtectedMethods> methods) {
        this.methods = methods;
    }

    @Override
    public Object postProcessAfterInitialization(Object bean, String beanName) {
        Class<?> targetClass = ClassUtils.getUserClass(AopUtils.getTargetClass(bean));
        if (!AnnotationUtils.isCandidateClass(targetClass, CircuitBreaker.class)) {
            return bean;
        }
        ProtectedMethods resolver = null;
        for (var method : ReflectionUtils.getUniqueDeclaredMethods(targetClass, ReflectionUtils.USER_DECLARED_METHODS)) {
            CircuitBreaker annotation = ProtectedMethods.findAnnotation(method, method, targetClass);
            if (annotation != null) {
                UninterceptableMethodException.requireInterceptable(bean, targetClass, method, annotation);
                if (resolver == null) {
                    resolver = methods.getObject();
                }
                resolver.resolve(method, targetClass);
            }
        }
        return bean;
    }
}
