package dev.breaker.spring.aot;

import dev.breaker.spring.annotation.CircuitBreaker;
import org.jspecify.annotations.Nullable;
import org.springframework.aot.hint.ExecutableMode;
import org.springframework.aot.hint.ReflectionHints;
import org.springframework.beans.factory.aot.BeanRegistrationAotContribution;
import org.springframework.beans.factory.aot.BeanRegistrationAotProcessor;
import org.springframework.beans.factory.support.RegisteredBean;
import org.springframework.core.annotation.AnnotatedElementUtils;
import org.springframework.core.annotation.AnnotationUtils;
import org.springframework.util.ClassUtils;
import org.springframework.util.ReflectionUtils;

import java.lang.reflect.Method;
import java.util.LinkedHashSet;
import java.util.Set;

/**
 * Registers, for each bean with {@code @CircuitBreaker} methods, what the starter reads reflectively when the bean
 * is created: the declared methods of its class and superclasses (to find the protected methods and their
 * fallbacks), and an invocation hint for every method named as a fallback.
 */
public final class FallbackMethodsAotProcessor implements BeanRegistrationAotProcessor {

    @Override
    public @Nullable BeanRegistrationAotContribution processAheadOfTime(RegisteredBean registeredBean) {
        Class<?> beanClass = ClassUtils.getUserClass(registeredBean.getBeanClass());
        if (!AnnotationUtils.isCandidateClass(beanClass, CircuitBreaker.class)) {
            return null;
        }
        Set<String> fallbacks = new LinkedHashSet<>();
        boolean isProtected = addFallback(AnnotatedElementUtils.findMergedAnnotation(beanClass,
                CircuitBreaker.class), fallbacks);
        for (Method method : ReflectionUtils.getUniqueDeclaredMethods(beanClass,
                ReflectionUtils.USER_DECLARED_METHODS)) {
            isProtected |= addFallback(AnnotatedElementUtils.findMergedAnnotation(method, CircuitBreaker.class),
                    fallbacks);
        }
        if (!isProtected) {
            return null;
        }
        return (generationContext, code) -> register(generationContext.getRuntimeHints().reflection(), beanClass,
                fallbacks);
    }

    /** Adds the fallback {@code annotation} names, if any; whether there is an annotation. */
    private static boolean addFallback(@Nullable CircuitBreaker annotation, Set<String> names) {
        if (annotation == null) {
            return false;
        }
        if (!annotation.fallbackMethod().isEmpty()) {
            names.add(annotation.fallbackMethod());
        }
        return true;
    }

    private static void register(ReflectionHints reflection, Class<?> beanClass, Set<String> fallbacks) {
        for (Class<?> type = beanClass; type != null && type != Object.class; type = type.getSuperclass()) {
            // A registered type's members can be introspected (MemberCategory.INTROSPECT_* are implied since 7.0).
            reflection.registerType(type);
        }
        for (Method method : ReflectionUtils.getUniqueDeclaredMethods(beanClass)) {
            if (fallbacks.contains(method.getName())) {
                reflection.registerMethod(method, ExecutableMode.INVOKE);
            }
        }
    }
}
