package dev.breaker.spring.aop;

import dev.breaker.spring.annotation.CircuitBreaker;
import org.springframework.aop.support.AopUtils;
import org.springframework.core.annotation.AnnotatedElementUtils;
import org.springframework.util.ClassUtils;

import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.util.Arrays;
import java.util.stream.Collectors;

/**
 * A {@code @CircuitBreaker} covers a method that Spring AOP cannot intercept on its bean, so that every call of it
 * would run unprotected: a private or static method, or a final one on a class-based (CGLIB) proxy.
 */
public final class UninterceptableMethodException extends InvalidAnnotatedMethodException {

    /*
     * Implementation notes.
     *
     * A JDK proxy implements the bean's interfaces and calls the target's method by reflection, so a final method
     * that implements an interface method is intercepted; one that does not is unreachable through the proxy at
     * all, like any method outside the interfaces. A class-based proxy is a generated subclass: it cannot override
     * a final or private method, and so never sees its calls. A static method is never called on a bean.
     */

    private static final long serialVersionUID = 1L;

    private UninterceptableMethodException(Method method, String message, String action) {
        super(method, message, action);
    }

    /**
     * Checks that calls of {@code method} through {@code bean} (as the auto-proxy creator left it) reach the advice
     * of {@code annotation}.
     *
     * @throws UninterceptableMethodException naming the method, why it cannot be intercepted and what to do
     */
    static void requireInterceptable(Object bean, Class<?> targetClass, Method method, CircuitBreaker annotation) {
        int modifiers = method.getModifiers();
        String why;
        String remedy;
        if (Modifier.isStatic(modifiers)) {
            why = "the method is static, and a static method is never called on the bean's proxy";
            remedy = "Make it an instance method and call it through the bean, or protect the call in code with "
                    + "BreakerRegistry.breaker(\"" + annotation.name() + "\")";
        } else if (Modifier.isPrivate(modifiers)) {
            why = "the method is private, and a proxy intercepts only methods it can override or implement";
            remedy = "Make it public, protected or package-private, and call it from another bean (a call from the "
                    + "same object bypasses the proxy)";
        } else if (Modifier.isFinal(modifiers) && !AopUtils.isJdkDynamicProxy(bean)) {
            why = "the method is final, and a class-based (CGLIB) proxy cannot override it";
            remedy = "Remove 'final', or declare the method on an interface and let the bean be proxied by its "
                    + "interfaces (spring.aop.proxy-target-class=false)";
        } else {
            return;
        }
        String name = describe(method, targetClass);
        String annotated = "@CircuitBreaker(name = \"" + annotation.name() + "\") on ";
        boolean onMethod = AnnotatedElementUtils.hasAnnotation(method, CircuitBreaker.class);
        String message = onMethod
                ? annotated + name + " cannot protect it: " + why + "; every call would run unprotected."
                : annotated + targetClass.getName() + " covers its public methods, and " + name
                        + " cannot be protected: " + why + "; every call would run unprotected.";
        String action = remedy + (onMethod ? "; or remove @CircuitBreaker from " + name + "."
                : "; or annotate the methods to protect one by one instead of " + targetClass.getName() + ".");
        throw new UninterceptableMethodException(method, message, action);
    }

    /** {@code com.example.Client.stock(String)}: the method as error messages name it. */
    static String describe(Method method, Class<?> targetClass) {
        return ClassUtils.getQualifiedMethodName(method, targetClass) + Arrays.stream(method.getParameterTypes())
                .map(Class::getSimpleName).collect(Collectors.joining(", ", "(", ")"));
    }
}
