package dev.breaker.benchmarks;

import dev.breaker.Breaker;
import dev.breaker.BreakerConfig;
import dev.breaker.BreakerRegistry;
import dev.breaker.spring.annotation.CircuitBreaker;
import dev.breaker.spring.aop.BreakerAdvisor;
import dev.breaker.spring.autoconfigure.BreakerAutoConfiguration;
import dev.breaker.spring.autoconfigure.BreakerMetricsAutoConfiguration;
import io.github.resilience4j.circuitbreaker.CircuitBreakerConfig;
import io.github.resilience4j.circuitbreaker.CircuitBreakerRegistry;
import io.github.resilience4j.spring6.circuitbreaker.configure.CircuitBreakerAspect;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.jspecify.annotations.Nullable;
import org.aspectj.lang.ProceedingJoinPoint;
import org.aspectj.lang.annotation.Around;
import org.aspectj.lang.annotation.Aspect;
import org.aopalliance.aop.Advice;
import org.aopalliance.intercept.MethodInterceptor;
import org.aopalliance.intercept.MethodInvocation;
import org.springframework.aop.Advisor;
import org.springframework.aop.Pointcut;
import org.springframework.aop.PointcutAdvisor;
import org.springframework.aop.framework.Advised;
import org.springframework.aop.aspectj.AbstractAspectJAdvice;
import org.springframework.aop.interceptor.ExposeInvocationInterceptor;
import org.springframework.aop.support.AbstractPointcutAdvisor;
import org.springframework.aop.support.AopUtils;
import org.springframework.aop.support.annotation.AnnotationMatchingPointcut;
import org.springframework.beans.factory.config.BeanDefinition;
import org.springframework.boot.Banner;
import org.springframework.boot.WebApplicationType;
import org.springframework.boot.autoconfigure.ImportAutoConfiguration;
import org.springframework.boot.autoconfigure.aop.AopAutoConfiguration;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.micrometer.metrics.autoconfigure.MetricsAutoConfiguration;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.annotation.EnableAspectJAutoProxy;
import org.springframework.context.annotation.Role;

import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import java.util.stream.Collectors;

/**
 * The Spring applications of the annotated-path benchmarks: one bean method protected by our
 * {@code @CircuitBreaker}, by Resilience4j's, or advised by a no-op {@code @Around} aspect (the floor of Spring AOP
 * itself) or a no-op {@code MethodInterceptor} advisor (the floor of advice built the way our starter's is). Each
 * application imports only the auto-configurations it needs ({@code @ImportAutoConfiguration}, no
 * {@code @EnableAutoConfiguration}), so that the libraries never see each other, and each is checked when started:
 * its bean must be a proxy advised by exactly the advice under test, its breakers configured like {@link Fixtures}.
 */
final class AnnotatedApps {

    /** What every protected method returns while its breaker lets calls through. */
    static final String VALUE = "value";
    /** What every fallback returns. */
    static final String FALLBACK = "fallback";

    static final String BREAKER = "annotated";
    static final String BREAKER_WITH_FALLBACK = "annotated-with-fallback";
    static final String BREAKER_STACKLESS = "annotated-stackless";

    /** Breaker: the {@link Fixtures} options, for every breaker name. */
    private static final String[] BREAKER_PROPERTIES = {
            "breaker.defaults.sliding-window.type=count",
            "breaker.defaults.sliding-window.size=" + Fixtures.COUNT_WINDOW,
            "breaker.defaults.minimum-calls=" + Fixtures.MINIMUM_CALLS,
            "breaker.defaults.failure-rate-threshold=" + Fixtures.FAILURE_RATE_PERCENT,
            "breaker.defaults.wait-in-open=" + Fixtures.WAIT_IN_OPEN.toSeconds() + "s",
    };

    /**
     * Resilience4j: the {@link Fixtures} options for its three instances, created at startup; no health indicator.
     * Its Spring Boot integration also gives every breaker an event buffer (100 events unless set; at least 1,
     * so it cannot be turned off by a property) fed on every call: part of its annotated path as shipped.
     */
    private static final String[] RESILIENCE4J_PROPERTIES = {
            "resilience4j.circuitbreaker.configs.default.sliding-window-type=COUNT_BASED",
            "resilience4j.circuitbreaker.configs.default.sliding-window-size=" + Fixtures.COUNT_WINDOW,
            "resilience4j.circuitbreaker.configs.default.minimum-number-of-calls=" + Fixtures.MINIMUM_CALLS,
            "resilience4j.circuitbreaker.configs.default.failure-rate-threshold=" + Fixtures.FAILURE_RATE_PERCENT,
            "resilience4j.circuitbreaker.configs.default.wait-duration-in-open-state="
                    + Fixtures.WAIT_IN_OPEN.toSeconds() + "s",
            "resilience4j.circuitbreaker.configs.default.automatic-transition-from-open-to-half-open-enabled=false",
            "resilience4j.circuitbreaker.configs.default.register-health-indicator=false",
            "resilience4j.circuitbreaker.instances." + BREAKER + ".base-config=default",
            "resilience4j.circuitbreaker.instances." + BREAKER_WITH_FALLBACK + ".base-config=default",
            "resilience4j.circuitbreaker.instances." + BREAKER_STACKLESS + ".base-config=default",
            "resilience4j.circuitbreaker.instances." + BREAKER_STACKLESS + ".writable-stack-trace-enabled=false",
    };

    private AnnotatedApps() {
    }

    // The beans. Public methods of public classes: what an application's service looks like to the proxy.

    /** The method every variant protects, unadvised: returns a field's value, which the JIT cannot fold. */
    public static class PlainService {

        public String payload = VALUE;

        public String call() {
            return payload;
        }
    }

    /** Marks the methods {@link NoopAroundAspect} advises. */
    @Target(ElementType.METHOD)
    @Retention(RetentionPolicy.RUNTIME)
    public @interface NoopAdvice {
    }

    /** The floor: an AspectJ-style {@code @Around} advice that only proceeds. */
    @Aspect
    public static class NoopAroundAspect {

        @Around("@annotation(dev.breaker.benchmarks.AnnotatedApps.NoopAdvice)")
        public Object around(ProceedingJoinPoint joinPoint) throws Throwable {
            return joinPoint.proceed();
        }
    }

    public static class NoopAdvisedService {

        public String payload = VALUE;

        @NoopAdvice
        public String call() {
            return payload;
        }
    }

    /**
     * The floor of advice written as Spring AOP's {@link MethodInterceptor} behind a {@link PointcutAdvisor}, as our
     * starter's is: a no-op interceptor on {@link NoopAdvice} methods.
     */
    static final class NoopInterceptorAdvisor extends AbstractPointcutAdvisor {

        private static final long serialVersionUID = 1L;

        private final transient Pointcut pointcut = new AnnotationMatchingPointcut(null, NoopAdvice.class, true);
        private final transient MethodInterceptor interceptor = MethodInvocation::proceed;

        @Override
        public Pointcut getPointcut() {
            return pointcut;
        }

        @Override
        public Advice getAdvice() {
            return interceptor;
        }
    }

    public static class BreakerService {

        public String payload = VALUE;

        @CircuitBreaker(name = BREAKER)
        public String call() {
            return payload;
        }

        @CircuitBreaker(name = BREAKER_WITH_FALLBACK, fallbackMethod = "fallback")
        public String callWithFallback() {
            return payload;
        }

        public String fallback(Throwable error) {
            return FALLBACK;
        }
    }

    public static class Resilience4jService {

        public String payload = VALUE;

        @io.github.resilience4j.circuitbreaker.annotation.CircuitBreaker(name = BREAKER)
        public String call() {
            return payload;
        }

        @io.github.resilience4j.circuitbreaker.annotation.CircuitBreaker(name = BREAKER_WITH_FALLBACK,
                fallbackMethod = "fallback")
        public String callWithFallback() {
            return payload;
        }

        @io.github.resilience4j.circuitbreaker.annotation.CircuitBreaker(name = BREAKER_STACKLESS,
                fallbackMethod = "fallback")
        public String callWithFallbackStackless() {
            return payload;
        }

        public String fallback(Throwable error) {
            return FALLBACK;
        }
    }

    // The applications.

    /** Our starter, metrics off (its metrics auto-configuration not imported). */
    @Configuration(proxyBeanMethods = false)
    @ImportAutoConfiguration({AopAutoConfiguration.class, BreakerAutoConfiguration.class})
    static class BreakerApp {

        @Bean
        BreakerService breakerService() {
            return new BreakerService();
        }
    }

    /**
     * Our starter, metrics on: its meter binder bound to a {@link SimpleMeterRegistry} by Spring Boot's
     * {@code MetricsAutoConfiguration}, as in an application with Actuator; {@code breaker.metrics.call-duration}
     * decides whether calls are also timed.
     */
    @Configuration(proxyBeanMethods = false)
    @ImportAutoConfiguration({AopAutoConfiguration.class, BreakerAutoConfiguration.class,
            MetricsAutoConfiguration.class, BreakerMetricsAutoConfiguration.class})
    static class BreakerMetricsApp {

        @Bean
        BreakerService breakerService() {
            return new BreakerService();
        }

        @Bean
        SimpleMeterRegistry meterRegistry() {
            return new SimpleMeterRegistry();
        }
    }

    /** Resilience4j's Spring Boot 4 circuit breaker auto-configuration alone (no metrics, health or endpoint). */
    @Configuration(proxyBeanMethods = false)
    @ImportAutoConfiguration({AopAutoConfiguration.class,
            io.github.resilience4j.springboot.circuitbreaker.autoconfigure.CircuitBreakerAutoConfiguration.class})
    static class Resilience4jApp {

        @Bean
        Resilience4jService resilience4jService() {
            return new Resilience4jService();
        }
    }

    /** Spring AOP with one no-op {@code @Around} aspect. */
    @Configuration(proxyBeanMethods = false)
    @ImportAutoConfiguration(AopAutoConfiguration.class)
    @EnableAspectJAutoProxy(proxyTargetClass = true)
    static class NoopAroundApp {

        @Bean
        NoopAroundAspect noopAroundAspect() {
            return new NoopAroundAspect();
        }

        @Bean
        NoopAdvisedService noopAdvisedService() {
            return new NoopAdvisedService();
        }
    }

    /** Spring AOP with one no-op {@link MethodInterceptor} advisor. */
    @Configuration(proxyBeanMethods = false)
    @ImportAutoConfiguration(AopAutoConfiguration.class)
    static class NoopInterceptorApp {

        @Bean
        @Role(BeanDefinition.ROLE_INFRASTRUCTURE)
        static NoopInterceptorAdvisor noopInterceptorAdvisor() {
            return new NoopInterceptorAdvisor();
        }

        @Bean
        NoopAdvisedService noopAdvisedService() {
            return new NoopAdvisedService();
        }
    }

    // Starting and checking them.

    static ConfigurableApplicationContext startBreaker(String... properties) {
        return start(BreakerApp.class, concat(BREAKER_PROPERTIES, properties));
    }

    static ConfigurableApplicationContext startBreakerWithMetrics(boolean callDuration) {
        return start(BreakerMetricsApp.class, concat(BREAKER_PROPERTIES,
                "breaker.metrics.enabled=true", "breaker.metrics.call-duration=" + callDuration));
    }

    static ConfigurableApplicationContext startResilience4j() {
        return start(Resilience4jApp.class, RESILIENCE4J_PROPERTIES);
    }

    static ConfigurableApplicationContext startNoopAround() {
        return start(NoopAroundApp.class);
    }

    static ConfigurableApplicationContext startNoopInterceptor() {
        return start(NoopInterceptorApp.class);
    }

    private static ConfigurableApplicationContext start(Class<?> application, String... properties) {
        return new SpringApplicationBuilder(application)
                .web(WebApplicationType.NONE)
                .bannerMode(Banner.Mode.OFF)
                .logStartupInfo(false)
                .properties("logging.level.root=WARN", "spring.main.register-shutdown-hook=false",
                        "management.metrics.use-global-registry=false")
                .properties(properties)
                .run();
    }

    private static String[] concat(String[] first, String... second) {
        String[] all = Arrays.copyOf(first, first.length + second.length);
        System.arraycopy(second, 0, all, first.length, second.length);
        return all;
    }

    /** The bean of {@code type}, which must be a class-based proxy advised by {@code expected} and nothing else. */
    static <T> T advisedBean(ConfigurableApplicationContext context, Class<T> type, String expected,
                             List<Predicate<Advisor>> chain) {
        T bean = context.getBean(type);
        Fixtures.require(AopUtils.isCglibProxy(bean), type.getSimpleName() + " is not a class-based proxy, so not "
                + expected + " (auto-configuration missing from the jar?): " + bean.getClass());
        Advisor[] advisors = ((Advised) bean).getAdvisors();
        boolean matches = advisors.length == chain.size();
        for (int i = 0; matches && i < advisors.length; i++) {
            matches = chain.get(i).test(advisors[i]);
        }
        Fixtures.require(matches, type.getSimpleName() + " is not advised by " + expected + " alone: "
                + Arrays.stream(advisors).map(AnnotatedApps::describe).collect(Collectors.joining(", ", "[", "]")));
        return bean;
    }

    /** Our advisor alone. */
    static List<Predicate<Advisor>> breakerAdvice() {
        return List.of(advisor -> advisor instanceof BreakerAdvisor);
    }

    static List<Predicate<Advisor>> noopInterceptor() {
        return List.of(advisor -> advisor instanceof NoopInterceptorAdvisor);
    }

    /** An AspectJ-style aspect: Spring puts ExposeInvocationInterceptor first, then the aspect's advice. */
    static List<Predicate<Advisor>> aspect(Class<?> aspectClass) {
        return List.of(advisor -> advisor == ExposeInvocationInterceptor.ADVISOR,
                advisor -> advisor.getAdvice() instanceof AbstractAspectJAdvice advice
                        && advice.getAspectJAdviceMethod().getDeclaringClass() == aspectClass);
    }

    static List<Predicate<Advisor>> resilience4jAdvice() {
        return aspect(CircuitBreakerAspect.class);
    }

    private static String describe(Advisor advisor) {
        if (advisor.getAdvice() instanceof AbstractAspectJAdvice advice) {
            return advice.getAspectJAdviceMethod().toString();
        }
        return advisor.getClass().getName();
    }

    /** Our breaker {@code name}, created at startup and configured like {@link Fixtures#breakerCountWindow()}. */
    static Breaker breaker(ConfigurableApplicationContext context, String name) {
        Breaker breaker = context.getBean(BreakerRegistry.class).find(name).orElse(null);
        Fixtures.require(breaker != null, "no breaker '" + name + "' in the context: the @CircuitBreaker methods "
                + "were not resolved at startup");
        BreakerConfig actual = breaker.config();
        BreakerConfig expected = Fixtures.breakerCountWindow();
        Fixtures.require(actual.windowType() == expected.windowType()
                        && actual.countWindowSize() == expected.countWindowSize()
                        && actual.minimumCalls() == expected.minimumCalls()
                        && actual.failureRateThreshold() == expected.failureRateThreshold()
                        && actual.consecutiveFailures() == expected.consecutiveFailures()
                        && actual.waitInOpen().equals(expected.waitInOpen())
                        && actual.slowCallDuration().equals(expected.slowCallDuration()),
                "breaker '" + name + "' not configured like Fixtures.breakerCountWindow(): " + actual);
        return breaker;
    }

    /** Resilience4j's breaker {@code name}, created at startup and configured like {@link Fixtures}. */
    static io.github.resilience4j.circuitbreaker.CircuitBreaker resilience4jBreaker(
            ConfigurableApplicationContext context, String name, boolean writableStackTrace) {
        var breaker = context.getBean(CircuitBreakerRegistry.class).find(name).orElse(null);
        Fixtures.require(breaker != null, "no Resilience4j breaker '" + name + "' in the context");
        CircuitBreakerConfig actual = breaker.getCircuitBreakerConfig();
        CircuitBreakerConfig expected = Fixtures.resilience4jCountWindow(false);
        Fixtures.require(actual.getSlidingWindowType() == expected.getSlidingWindowType()
                        && actual.getSlidingWindowSize() == expected.getSlidingWindowSize()
                        && actual.getMinimumNumberOfCalls() == expected.getMinimumNumberOfCalls()
                        && actual.getFailureRateThreshold() == expected.getFailureRateThreshold()
                        && actual.getSlidingWindowSynchronizationStrategy()
                        == expected.getSlidingWindowSynchronizationStrategy()
                        && actual.getWaitIntervalFunctionInOpenState().apply(1)
                        .equals(expected.getWaitIntervalFunctionInOpenState().apply(1))
                        && actual.isAutomaticTransitionFromOpenToHalfOpenEnabled()
                        == expected.isAutomaticTransitionFromOpenToHalfOpenEnabled()
                        && actual.getSlowCallDurationThreshold().equals(expected.getSlowCallDurationThreshold())
                        && actual.isWritableStackTraceEnabled() == writableStackTrace,
                "Resilience4j breaker '" + name + "' not configured like Fixtures: " + actual);
        return breaker;
    }

    /** The meter registry of a metrics-on application, which must hold {@code name}'s meters. */
    static MeterRegistry meters(ConfigurableApplicationContext context, String name, boolean callDuration) {
        MeterRegistry meters = context.getBean(MeterRegistry.class);
        Fixtures.require(!meters.find("breaker.calls").tag("name", name).functionCounters().isEmpty(),
                "breaker '" + name + "' has no breaker.calls meters: the meter binder was not bound");
        boolean timed = meters.find("breaker.call.duration").tag("name", name).timer() != null;
        Fixtures.require(timed == callDuration, "breaker '" + name + "' call-duration timer "
                + (timed ? "present" : "absent") + " but breaker.metrics.call-duration=" + callDuration);
        return meters;
    }

    /** Opens {@code breaker} by failures, as {@link OpenRejection} does, and checks it. */
    static void open(Breaker breaker) {
        for (int i = 0; i < Fixtures.CALLS_TO_OPEN && breaker.tryAcquire(); i++) {
            breaker.onFailure(0, Calls.FAILURE);
        }
        Fixtures.require(breaker.state() == dev.breaker.CircuitState.OPEN, breaker + " not OPEN");
    }

    static void open(io.github.resilience4j.circuitbreaker.CircuitBreaker breaker) {
        for (int i = 0; i < Fixtures.CALLS_TO_OPEN && breaker.tryAcquirePermission(); i++) {
            breaker.onError(0, TimeUnit.NANOSECONDS, Calls.FAILURE);
        }
        Fixtures.require(breaker.getState() == io.github.resilience4j.circuitbreaker.CircuitBreaker.State.OPEN,
                "Resilience4j '" + breaker.getName() + "' not OPEN: " + breaker.getState());
    }

    static void requireResult(String expected, String actual, String call) {
        Fixtures.require(expected.equals(actual), call + " returned '" + actual + "', expected '" + expected + "'");
    }

    static void close(@Nullable ConfigurableApplicationContext context) {
        if (context != null) {
            context.close();
        }
    }
}
