package dev.breaker.spring.dependencies;

import dev.breaker.spring.dependencies.DependencyGraph.Edge;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The whole graph of declared dependencies: unknown names and cycles, however long, are found. */
class DependencyGraphTests {

    private static Edge on(String dependency) {
        return new Edge(dependency, "the key of " + dependency);
    }

    @Test
    void diamond_isNoCycle() {
        DependencyGraph graph = new DependencyGraph();
        graph.declare("orders", List.of(on("checkout"), on("ledger")));
        graph.declare("checkout", List.of(on("payments")));
        graph.declare("ledger", List.of(on("payments")));
        graph.declare("payments", List.of());

        assertThatCode(graph::validate).doesNotThrowAnyException();
    }

    @Test
    void cycleReachedFromABreakerOutsideIt_namesOnlyTheCycle() {
        DependencyGraph graph = new DependencyGraph();
        graph.declare("orders", List.of(on("checkout")));
        graph.declare("checkout", List.of(on("payments")));
        graph.declare("payments", List.of(on("fraud")));
        graph.declare("fraud", List.of(on("checkout")));

        assertThatThrownBy(graph::validate).isInstanceOf(InvalidBreakerDependencyException.class)
                .hasMessage("Breakers depend on each other in a cycle: checkout -> payments -> fraud -> checkout "
                        + "(checkout -> payments: the key of payments; payments -> fraud: the key of fraud; "
                        + "fraud -> checkout: the key of checkout).");
    }

    @Test
    void undeclaredDependency_isReportedBeforeAnyCycle() {
        DependencyGraph graph = new DependencyGraph();
        graph.declare("a", List.of(on("a")));
        graph.declare("b", List.of(on("c")));

        assertThatThrownBy(graph::validate).isInstanceOf(InvalidBreakerDependencyException.class)
                .hasMessage("the key of c names 'c' as a dependency of breaker 'b', but no breaker has that name "
                        + "(known: [a, b]).");
    }
}
