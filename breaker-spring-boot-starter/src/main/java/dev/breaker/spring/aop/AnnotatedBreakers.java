package dev.breaker.spring.aop;

import dev.breaker.spring.annotation.CircuitBreaker;
import dev.breaker.spring.dependencies.InvalidBreakerDependencyException;
import org.jspecify.annotations.Nullable;
import org.springframework.beans.BeansException;
import org.springframework.beans.factory.ListableBeanFactory;
import org.springframework.core.annotation.AnnotationUtils;
import org.springframework.util.ClassUtils;
import org.springframework.util.ReflectionUtils;

import java.lang.reflect.Method;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The breakers that {@code @CircuitBreaker} annotations name, and the dependencies they declare, found in the bean
 * definitions before any bean is created, so that a breaker is created knowing all of them. Annotations of one
 * breaker that name dependencies must name the same ones.
 */
public final class AnnotatedBreakers {

    /** One annotated method: the breaker it names and the dependencies it declares. */
    private record Declaration(List<String> dependsOn, String method) {
    }

    private static final AnnotatedBreakers NONE = new AnnotatedBreakers(Map.of());

    /** Per breaker name, the declarations that name dependencies, or an empty list. */
    private final Map<String, List<Declaration>> byBreaker;

    private AnnotatedBreakers(Map<String, List<Declaration>> byBreaker) {
        this.byBreaker = byBreaker;
    }

    /** No annotated breakers. */
    public static AnnotatedBreakers none() {
        return NONE;
    }

    /**
     * The annotations of every bean whose type the bean factory knows without creating it.
     *
     * @throws InvalidBreakerDependencyException for two annotations of one breaker that name different dependencies
     */
    public static AnnotatedBreakers scan(ListableBeanFactory beans) {
        Set<Class<?>> types = new LinkedHashSet<>();
        for (String name : beans.getBeanDefinitionNames()) {
            Class<?> type;
            try {
                type = beans.getType(name, false);
            } catch (BeansException unresolvable) {
                continue;
            }
            if (type != null) {
                types.add(ClassUtils.getUserClass(type));
            }
        }
        return of(types);
    }

    /**
     * The annotations of {@code types}.
     *
     * @throws InvalidBreakerDependencyException for two annotations of one breaker that name different dependencies
     */
    public static AnnotatedBreakers of(Collection<Class<?>> types) {
        Map<String, List<Declaration>> byBreaker = new LinkedHashMap<>();
        for (Class<?> type : types) {
            if (!AnnotationUtils.isCandidateClass(type, CircuitBreaker.class)) {
                continue;
            }
            Method[] methods = ReflectionUtils.getUniqueDeclaredMethods(type, ReflectionUtils.USER_DECLARED_METHODS);
            // In a stable order, for stable messages: the JVM lists declared methods in any order.
            Arrays.sort(methods, Comparator.comparing(Method::toGenericString));
            for (Method method : methods) {
                CircuitBreaker annotation = ProtectedMethods.findAnnotation(method, method, type);
                if (annotation != null) {
                    List<Declaration> declarations = byBreaker.computeIfAbsent(annotation.name(),
                            name -> new ArrayList<>());
                    if (annotation.dependsOn().length > 0) {
                        Declaration declaration = new Declaration(List.of(annotation.dependsOn()),
                                UninterceptableMethodException.describe(method, type));
                        requireAgreement(annotation.name(), declarations, declaration);
                        declarations.add(declaration);
                    }
                }
            }
        }
        return new AnnotatedBreakers(byBreaker);
    }

    private static void requireAgreement(String breaker, List<Declaration> earlier, Declaration declaration) {
        for (Declaration other : earlier) {
            if (!Set.copyOf(other.dependsOn()).equals(Set.copyOf(declaration.dependsOn()))) {
                throw new InvalidBreakerDependencyException("@CircuitBreaker(name = \"" + breaker
                        + "\") names different dependencies on " + other.method() + " (dependsOn " + other.dependsOn()
                        + ") and on " + declaration.method() + " (dependsOn " + declaration.dependsOn()
                        + "); dependencies belong to the breaker, so every annotation of it that names some must "
                        + "name the same.",
                        "Name the same dependsOn on both, or on one only (an annotation without dependsOn takes the "
                                + "breaker's), or set breaker.instances." + breaker + ".depends-on instead.");
            }
        }
    }

    /** The names of the annotated breakers. */
    public Set<String> names() {
        return byBreaker.keySet();
    }

    /** The dependencies the annotations of the breaker called {@code breaker} declare; empty for none. */
    public List<String> dependsOn(String breaker) {
        List<Declaration> declarations = byBreaker.get(breaker);
        return declarations == null || declarations.isEmpty() ? List.of() : declarations.get(0).dependsOn();
    }

    /** The method whose annotation declares the dependencies of {@code breaker}, or {@code null}. */
    public @Nullable String declaredBy(String breaker) {
        List<Declaration> declarations = byBreaker.get(breaker);
        return declarations == null || declarations.isEmpty() ? null : declarations.get(0).method();
    }
}
