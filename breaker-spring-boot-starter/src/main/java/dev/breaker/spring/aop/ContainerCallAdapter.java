package dev.breaker.spring.aop;

import org.springframework.core.ResolvableType;
import org.springframework.util.ClassUtils;

import java.lang.reflect.Method;

/**
 * A base for {@link CallAdapter}s of methods that return a container of a value (a future, a publisher): it accepts
 * fallbacks that return a container of the method's kind or a plain value (which the adapter wraps), and describes
 * them in startup errors. Subclasses decide which methods they {@linkplain #supports support} and make the calls.
 */
public abstract class ContainerCallAdapter implements CallAdapter {

    private final Class<?> containerType;

    /** @param containerType the common supertype of the containers, whose first type argument is the value */
    protected ContainerCallAdapter(Class<?> containerType) {
        this.containerType = containerType;
    }

    @Override
    public boolean acceptsFallbackReturnType(Method method, Class<?> fallbackReturnType) {
        if (containerType.isAssignableFrom(fallbackReturnType)) {
            return method.getReturnType().isAssignableFrom(fallbackReturnType);
        }
        return fallbackReturnType != void.class && ClassUtils.isAssignable(valueType(method), fallbackReturnType);
    }

    @Override
    public String acceptedFallbackReturnTypes(Method method) {
        String value = valueType(method).getSimpleName();
        return method.getReturnType().getSimpleName() + "<" + value + "> or " + value;
    }

    private Class<?> valueType(Method method) {
        return ResolvableType.forMethodReturnType(method).as(containerType).getGeneric(0).resolve(Object.class);
    }
}
