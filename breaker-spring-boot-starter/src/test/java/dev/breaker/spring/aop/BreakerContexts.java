package dev.breaker.spring.aop;

import dev.breaker.Breaker;
import dev.breaker.BreakerMetrics;
import dev.breaker.BreakerRegistry;
import dev.breaker.CircuitState;
import dev.breaker.FakeTicker;
import dev.breaker.spring.autoconfigure.BreakerAutoConfiguration;
import dev.breaker.spring.autoconfigure.BreakerConfigCustomizer;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.autoconfigure.aop.AopAutoConfiguration;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.context.ApplicationContext;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** A real Spring context with the starter's auto-configuration, and helpers to look at its breakers. */
final class BreakerContexts {

    private BreakerContexts() {
    }

    /** Spring Boot's AOP auto-configuration and the starter's, as an application gets them. */
    static ApplicationContextRunner runner() {
        return new ApplicationContextRunner()
                .withConfiguration(AutoConfigurations.of(AopAutoConfiguration.class, BreakerAutoConfiguration.class));
    }

    static Breaker breaker(ApplicationContext context, String name) {
        return context.getBean(BreakerRegistry.class).find(name)
                .orElseThrow(() -> new AssertionError("no breaker named '" + name + "'"));
    }

    static BreakerMetrics metrics(ApplicationContext context, String name) {
        return breaker(context, name).metrics();
    }

    static void forceOpen(ApplicationContext context, String name) {
        breaker(context, name).forceOpen();
    }

    /**
     * Opens the breaker (which must open on its first failure) and lets its wait in open pass, so that the next
     * call that asks makes it half-open.
     */
    static void openAndLetWaitPass(ApplicationContext context, String name, Runnable failingCall) {
        failingCall.run();
        Breaker breaker = breaker(context, name);
        assertThat(breaker.state()).isEqualTo(CircuitState.OPEN);
        context.getBean(FakeTicker.class).advance(breaker.config().waitInOpen().plus(Duration.ofSeconds(1)));
    }

    /**
     * How many trial calls a half-open breaker admits right now (at most {@code limit}), asking for their permits
     * and giving them back.
     */
    static long freeTrialPermits(Breaker breaker, int limit) {
        List<Long> permits = new ArrayList<>();
        for (long permit = breaker.acquirePermit(); Breaker.isPermitted(permit); permit = breaker.acquirePermit()) {
            permits.add(permit);
            if (permits.size() > limit) {
                break;
            }
        }
        permits.forEach(breaker::release);
        return permits.size();
    }

    /** Gives every breaker a {@link FakeTicker}, a bean of its own, so that tests move time themselves. */
    @Configuration(proxyBeanMethods = false)
    static class FakeTimeConfiguration {

        @Bean
        FakeTicker fakeTicker() {
            return new FakeTicker();
        }

        @Bean
        BreakerConfigCustomizer fakeTime(FakeTicker ticker) {
            return (name, builder) -> builder.ticker(ticker);
        }
    }
}
