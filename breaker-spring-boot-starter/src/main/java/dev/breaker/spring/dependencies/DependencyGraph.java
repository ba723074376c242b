package dev.breaker.spring.dependencies;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * The breakers an application declares and the dependencies each declares, checked as a whole before any breaker is
 * created: every dependency must be one of the declared breakers, and no breaker may depend on itself, directly or
 * not. Errors name where each dependency was declared.
 */
public final class DependencyGraph {

    /**
     * One declared dependency.
     *
     * @param dependency the name of the breaker depended on
     * @param declaredBy where it was declared, as the subject of a sentence: a property key
     *     ({@code breaker.instances.checkout.depends-on[0]}) or an annotated method
     */
    public record Edge(String dependency, String declaredBy) {
    }

    private final Map<String, List<Edge>> edges = new LinkedHashMap<>();

    /** Declares the breaker called {@code breaker}, with its dependencies (in order). */
    public void declare(String breaker, List<Edge> dependencies) {
        edges.put(breaker, List.copyOf(dependencies));
    }

    /**
     * Checks every declared dependency.
     *
     * @throws InvalidBreakerDependencyException for the first dependency that is no declared breaker, else for the
     *     first cycle
     */
    public void validate() {
        edges.forEach((breaker, dependencies) -> dependencies.forEach(edge -> {
            if (!edges.containsKey(edge.dependency())) {
                throw new InvalidBreakerDependencyException(edge.declaredBy() + " names '" + edge.dependency()
                        + "' as a dependency of breaker '" + breaker + "', but no breaker has that name (known: "
                        + new TreeSet<>(edges.keySet()) + ").",
                        "Name one of the known breakers there, or declare '" + edge.dependency()
                                + "' under breaker.instances.");
            }
        }));
        Set<String> done = new HashSet<>();
        for (String breaker : edges.keySet()) {
            visit(breaker, new ArrayList<>(), new ArrayList<>(), done);
        }
    }

    /**
     * Depth first from {@code breaker}, reached along {@code trail} (the breakers on the way, outermost first) by
     * {@code via} (the edge that left each of them).
     */
    private void visit(String breaker, List<String> trail, List<Edge> via, Set<String> done) {
        if (done.contains(breaker)) {
            return;
        }
        int seen = trail.indexOf(breaker);
        if (seen >= 0) {
            throw cycle(trail.subList(seen, trail.size()), via.subList(seen, via.size()));
        }
        trail.add(breaker);
        for (Edge edge : edges.get(breaker)) {
            via.add(edge);
            visit(edge.dependency(), trail, via, done);
            via.remove(via.size() - 1);
        }
        trail.remove(trail.size() - 1);
        done.add(breaker);
    }

    /** The cycle through {@code breakers}, left each by the edge of the same index in {@code edges}. */
    private static InvalidBreakerDependencyException cycle(List<String> breakers, List<Edge> edges) {
        StringBuilder path = new StringBuilder();
        StringBuilder declarations = new StringBuilder();
        for (int i = 0; i < breakers.size(); i++) {
            Edge edge = edges.get(i);
            path.append(breakers.get(i)).append(" -> ");
            declarations.append(i == 0 ? "" : "; ").append(breakers.get(i)).append(" -> ").append(edge.dependency())
                    .append(": ").append(edge.declaredBy());
        }
        path.append(breakers.get(0));
        return new InvalidBreakerDependencyException("Breakers depend on each other in a cycle: " + path + " ("
                + declarations + ").",
                "Remove one of these dependencies: a breaker cannot wait for itself to close.");
    }
}
