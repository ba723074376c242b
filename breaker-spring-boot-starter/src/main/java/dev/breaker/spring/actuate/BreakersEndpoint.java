package dev.breaker.spring.actuate;

import dev.breaker.Breaker;
import dev.breaker.BreakerRegistry;
import dev.breaker.spring.alerts.Alert;
import dev.breaker.spring.alerts.BreakerAlerts;
import dev.breaker.spring.alerts.BreakerTransitions;
import org.jspecify.annotations.Nullable;
import org.springframework.boot.actuate.endpoint.Access;
import org.springframework.boot.actuate.endpoint.OperationResponseBody;
import org.springframework.boot.actuate.endpoint.annotation.ReadOperation;
import org.springframework.boot.actuate.endpoint.annotation.Selector;
import org.springframework.boot.actuate.endpoint.annotation.WriteOperation;
import org.springframework.boot.actuate.endpoint.web.WebEndpointResponse;
import org.springframework.boot.actuate.endpoint.web.annotation.WebEndpoint;

import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import java.util.stream.Collectors;

/**
 * The {@code breakers} web endpoint: every breaker's state, figures and configuration, and manual control.
 * An unknown name answers 404 and never creates a breaker; an unknown action answers 400 naming the valid ones.
 * <p>
 * Read-only unless {@code management.endpoint.breakers.access=unrestricted}: the actions exist only where
 * the application asked for them (and, one hopes, protected them).
 * <p>
 * The list carries an {@code alerts} section (recent alerts with their severity, and a summary) for the dashboard and
 * for other tools; each breaker its {@code lastTransition}, explained.
 * <p>
 * With cluster coordination on, each breaker has a {@code cluster} section, and an action applies to every instance
 * of the application, unless its scope says {@code local}: {@code POST /actuator/breakers/{name}/{action}/local}.
 */
@WebEndpoint(id = BreakersEndpoint.ID, defaultAccess = Access.READ_ONLY)
public class BreakersEndpoint {

    /** The endpoint's id, chosen not to clash with Resilience4j's {@code circuitbreakers}. */
    public static final String ID = "breakers";

    /** The manual actions of {@link #act}. */
    public enum Action {
        /** Closed, with an empty window. */
        RESET("reset", Breaker::reset),
        /** Rejects every call until closed or reset. */
        FORCE_OPEN("force-open", Breaker::forceOpen),
        /** Lets every call through and evaluates nothing until closed or reset. */
        DISABLE("disable", Breaker::disable),
        /** Closed, with an empty window, unless already closed. */
        CLOSE("close", Breaker::close);

        private final String path;
        private final Consumer<Breaker> apply;

        Action(String path, Consumer<Breaker> apply) {
            this.path = path;
            this.apply = apply;
        }

        /** The action's path segment. */
        public String path() {
            return path;
        }

        static @Nullable Action of(String path) {
            return Arrays.stream(values()).filter(action -> action.path.equals(path)).findFirst().orElse(null);
        }

        static String validActions() {
            return Arrays.stream(values()).map(Action::path).collect(Collectors.joining(", "));
        }
    }

    /** Where a manual action applies: {@code cluster} (the default with a cluster) or {@code local}. */
    static final String CLUSTER_SCOPE = "cluster";
    static final String LOCAL_SCOPE = "local";

    private final BreakerRegistry registry;
    private final @Nullable BreakerClusterOperations cluster;
    private final @Nullable BreakerTransitions transitions;
    private final @Nullable BreakerAlerts alerts;

    public BreakersEndpoint(BreakerRegistry registry) {
        this(registry, null);
    }

    /**
     * @param cluster cluster coordination, or {@code null} when it is off
     */
    public BreakersEndpoint(BreakerRegistry registry, @Nullable BreakerClusterOperations cluster) {
        this(registry, cluster, null, null);
    }

    /**
     * @param cluster cluster coordination, or {@code null} when it is off
     * @param transitions the last transition of every breaker, or {@code null} to leave {@code lastTransition} out
     * @param alerts the recent alerts, or {@code null} to leave the {@code alerts} section out
     */
    public BreakersEndpoint(BreakerRegistry registry, @Nullable BreakerClusterOperations cluster,
                            @Nullable BreakerTransitions transitions, @Nullable BreakerAlerts alerts) {
        this.registry = registry;
        this.cluster = cluster;
        this.transitions = transitions;
        this.alerts = alerts;
    }

    /** Every breaker, sorted by name, and the recent alerts. */
    @ReadOperation
    public BreakersDescriptor breakers() {
        if (cluster != null) {
            cluster.refresh();
        }
        Map<String, BreakerDescriptor> breakers = new LinkedHashMap<>();
        registry.all().forEach(breaker -> breakers.put(breaker.name(), describe(breaker)));
        return new BreakersDescriptor(breakers, alerts == null ? null : AlertsDescriptor.of(alerts));
    }

    /** {@code breaker} as this endpoint shows it, without refreshing the cluster's picture. */
    BreakerDescriptor describe(Breaker breaker) {
        return BreakerDescriptor.of(breaker, cluster,
                transitions == null ? null : transitions.last(breaker.name()).orElse(null));
    }

    /** One breaker, or {@code null} (404) if there is none of that name. */
    @ReadOperation
    public @Nullable BreakerDescriptor breaker(@Selector String name) {
        Breaker breaker = registry.find(name).orElse(null);
        if (breaker == null) {
            return null;
        }
        if (cluster != null) {
            cluster.refresh();
        }
        return describe(breaker);
    }

    /**
     * Applies {@code action} ({@code reset}, {@code force-open}, {@code disable} or {@code close}) to the breaker
     * called {@code name}: with cluster coordination on, on every instance of the cluster.
     *
     * @return the breaker's new state (with a cluster: also the scope, this instance and whether the others were
     *     told); 400 naming the valid actions for an unknown action; 404 for an unknown breaker
     */
    @WriteOperation
    public WebEndpointResponse<OperationResponseBody> act(@Selector String name, @Selector String action) {
        return act(name, action, null);
    }

    /**
     * Applies {@code action} to the breaker called {@code name} on every instance of the cluster (scope
     * {@code cluster}) or on this instance alone ({@code local}). The scope is a path segment rather than a query
     * parameter: Actuator requires a JSON body of a POST that takes one, and these actions take none.
     *
     * @return as {@link #act(String, String)}; 400 for an unknown scope, or {@code cluster} without cluster
     *     coordination
     */
    @WriteOperation
    public WebEndpointResponse<OperationResponseBody> actIn(@Selector String name, @Selector String action,
                                                           @Selector String scope) {
        return act(name, action, scope);
    }

    private WebEndpointResponse<OperationResponseBody> act(String name, String action, @Nullable String scope) {
        Action parsed = Action.of(action);
        if (parsed == null) {
            return new WebEndpointResponse<>(new ErrorDescriptor("Unknown action '" + action
                    + "'; valid actions are " + Action.validActions() + ", and " + BreakerConfigOperation.ACTION
                    + " with a JSON body of the options to set"), WebEndpointResponse.STATUS_BAD_REQUEST);
        }
        if (scope != null && !scope.equals(CLUSTER_SCOPE) && !scope.equals(LOCAL_SCOPE)) {
            return new WebEndpointResponse<>(new ErrorDescriptor("Unknown scope '" + scope + "'; the scope is '"
                    + CLUSTER_SCOPE + "' (every instance, the default with cluster coordination) or '" + LOCAL_SCOPE
                    + "' (this instance)"), WebEndpointResponse.STATUS_BAD_REQUEST);
        }
        if (cluster == null && CLUSTER_SCOPE.equals(scope)) {
            return new WebEndpointResponse<>(new ErrorDescriptor("There is no cluster to act on: cluster coordination"
                    + " is off (breaker.cluster.enabled); leave out the scope to act on this instance"),
                    WebEndpointResponse.STATUS_BAD_REQUEST);
        }
        Breaker breaker = registry.find(name).orElse(null);
        if (breaker == null) {
            return new WebEndpointResponse<>(new ErrorDescriptor("No breaker named '" + name + "'"),
                    WebEndpointResponse.STATUS_NOT_FOUND);
        }
        if (cluster == null) {
            parsed.apply.accept(breaker);
            return new WebEndpointResponse<>(new StateDescriptor(breaker.name(), breaker.state().name()));
        }
        boolean clusterWide = !LOCAL_SCOPE.equals(scope);
        boolean told = cluster.act(name, parsed, clusterWide);
        return new WebEndpointResponse<>(new ClusterActionDescriptor(breaker.name(), breaker.state().name(),
                clusterWide ? CLUSTER_SCOPE : LOCAL_SCOPE, cluster.instanceId(), told));
    }

    /**
     * Every breaker by name, and the recent alerts.
     *
     * @param breakers the breakers, sorted by name
     * @param alerts the recent alerts and their summary, null when not kept
     */
    public record BreakersDescriptor(Map<String, BreakerDescriptor> breakers, @Nullable AlertsDescriptor alerts)
            implements OperationResponseBody {
    }

    /**
     * The recent alerts of every breaker, and a summary.
     *
     * @param summary the alerts kept by severity, and the share of breakers healthy now
     * @param recent the alerts kept, newest first
     */
    public record AlertsDescriptor(BreakerAlerts.Summary summary, List<AlertDescriptor> recent) {

        static AlertsDescriptor of(BreakerAlerts alerts) {
            return new AlertsDescriptor(alerts.summary(), alerts.recent().stream().map(AlertDescriptor::of).toList());
        }
    }

    /**
     * One alert.
     *
     * @param time when it happened, ISO-8601
     * @param breaker the breaker's name
     * @param severity {@code CRITICAL} (a prolonged outage or an emergency), {@code HIGH} (an opening) or
     *     {@code INFO} (a recovery, a change by hand)
     * @param summary what happened, in a sentence
     */
    public record AlertDescriptor(String time, String breaker, String severity, String summary) {

        static AlertDescriptor of(Alert alert) {
            return new AlertDescriptor(alert.at().toString(), alert.breaker(), alert.severity().name(),
                    alert.summary());
        }
    }

    /**
     * A breaker's state after a manual action.
     *
     * @param name the breaker's name
     * @param state its new state
     */
    public record StateDescriptor(String name, String state) implements OperationResponseBody {
    }

    /**
     * A breaker's state after a manual action with cluster coordination on.
     *
     * @param name the breaker's name
     * @param state its new state on this instance
     * @param scope {@code cluster} (every instance) or {@code local} (this instance)
     * @param instance this instance's id, which the other instances' events name
     * @param otherInstancesTold whether the other instances were told (false for {@code local}, or without Redis)
     */
    public record ClusterActionDescriptor(String name, String state, String scope, String instance,
                                          boolean otherInstancesTold) implements OperationResponseBody {
    }

    /**
     * Why a request was refused.
     *
     * @param error what was wrong and how to put it right
     */
    public record ErrorDescriptor(String error) implements OperationResponseBody {
    }
}
