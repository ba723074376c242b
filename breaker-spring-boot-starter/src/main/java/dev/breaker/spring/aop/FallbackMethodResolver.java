package dev.breaker.spring.aop;

import dev.breaker.spring.annotation.CircuitBreaker;
import org.springframework.core.ResolvableType;
import org.springframework.util.ClassUtils;
import org.springframework.util.ReflectionUtils;

import java.lang.reflect.Method;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.stream.Collectors;

/** Finds and checks the fallback of a protected method, once, when the method is first resolved. */
final class FallbackMethodResolver {

    private FallbackMethodResolver() {
    }

    /**
     * The fallback named {@code fallbackName} for {@code method} of {@code targetClass}.
     *
     * @throws InvalidFallbackMethodException naming the accepted signatures and what was found instead
     */
    static FallbackMethod resolve(Class<?> targetClass, Method method, CircuitBreaker annotation,
                                  CallAdapter adapter) {
        String fallbackName = annotation.fallbackMethod();
        Class<?>[] parameters = method.getParameterTypes();
        List<Method> accepted = new ArrayList<>();
        List<String> rejected = new ArrayList<>();
        for (Method candidate : ReflectionUtils.getUniqueDeclaredMethods(targetClass)) {
            if (!candidate.getName().equals(fallbackName)) {
                continue;
            }
            String mismatch = mismatch(method, parameters, candidate, adapter);
            if (mismatch == null) {
                accepted.add(candidate);
            } else {
                rejected.add(describe(candidate) + ": " + mismatch);
            }
        }
        if (accepted.isEmpty()) {
            throw new InvalidFallbackMethodException(method, fallbackName,
                    message(targetClass, method, annotation, adapter, rejected));
        }
        return new FallbackMethod(accepted, parameters.length);
    }

    private static String mismatch(Method method, Class<?>[] parameters, Method candidate, CallAdapter adapter) {
        Class<?>[] actual = candidate.getParameterTypes();
        boolean sameParameters = actual.length == parameters.length && Arrays.equals(actual, parameters);
        boolean withError = actual.length == parameters.length + 1
                && Arrays.equals(Arrays.copyOf(actual, parameters.length), parameters)
                && Throwable.class.isAssignableFrom(actual[parameters.length]);
        if (!sameParameters && !withError) {
            return "its parameters " + typeList(actual) + " are not " + typeList(parameters)
                    + " optionally followed by one Throwable";
        }
        ResolvableType expected = ResolvableType.forMethodReturnType(method);
        ResolvableType returned = ResolvableType.forMethodReturnType(candidate);
        if (expected.hasGenerics() && expected.toClass().isAssignableFrom(returned.toClass())
                && !expected.isAssignableFrom(returned)) {
            return "it returns " + simpleName(returned) + ", which cannot stand in for " + simpleName(expected);
        }
        if (!adapter.acceptsFallbackReturnType(method, candidate.getReturnType())) {
            return "it returns " + candidate.getReturnType().getSimpleName() + ", which cannot stand in for "
                    + adapter.acceptedFallbackReturnTypes(method);
        }
        return null;
    }

    private static String message(Class<?> targetClass, Method method, CircuitBreaker annotation,
                                  CallAdapter adapter, List<String> rejected) {
        String parameters = Arrays.stream(method.getParameterTypes()).map(Class::getSimpleName)
                .collect(Collectors.joining(", "));
        String withError = parameters.isEmpty() ? "Throwable error" : parameters + ", Throwable error";
        String returns = adapter.acceptedFallbackReturnTypes(method);
        String name = annotation.fallbackMethod();
        StringBuilder message = new StringBuilder()
                .append("@CircuitBreaker(name = \"").append(annotation.name()).append("\", fallbackMethod = \"")
                .append(name).append("\") on ").append(ClassUtils.getQualifiedMethodName(method, targetClass))
                .append('(').append(parameters).append(") has no usable fallback method.\n")
                .append("Accepted, in ").append(targetClass.getName()).append(" or a superclass, any visibility:\n")
                .append("    ").append(returns).append(' ').append(name).append('(').append(parameters)
                .append(")\n")
                .append("    ").append(returns).append(' ').append(name).append('(').append(withError)
                .append(")   (any Throwable subtype; the most specific match wins)\n")
                .append("Found:\n");
        if (rejected.isEmpty()) {
            message.append("    no method named '").append(name).append("'");
        } else {
            message.append(rejected.stream().map(line -> "    " + line).collect(Collectors.joining("\n")));
        }
        return message.toString();
    }

    private static String describe(Method candidate) {
        return candidate.getReturnType().getSimpleName() + " " + candidate.getName()
                + typeList(candidate.getParameterTypes());
    }

    /** A generic type with simple class names: {@code CompletableFuture<String>}. */
    private static String simpleName(ResolvableType type) {
        String name = type.toClass().getSimpleName();
        if (!type.hasGenerics()) {
            return name;
        }
        return name + Arrays.stream(type.getGenerics()).map(FallbackMethodResolver::simpleName)
                .collect(Collectors.joining(", ", "<", ">"));
    }

    private static String typeList(Class<?>[] types) {
        return Arrays.stream(types).map(Class::getSimpleName).collect(Collectors.joining(", ", "(", ")"));
    }
}
