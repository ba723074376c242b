package dev.breaker.spring.autoconfigure;

import dev.breaker.BreakerRegistry;
import dev.breaker.spring.metrics.BreakerMeterBinder;
import dev.breaker.spring.metrics.MicrometerCallTimers;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tag;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBooleanProperty;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.context.annotation.Bean;

import java.util.List;

/** Binds breakers to Micrometer; turn it off with {@code breaker.metrics.enabled=false}. */
@AutoConfiguration(after = BreakerAutoConfiguration.class)
@ConditionalOnClass(MeterRegistry.class)
@ConditionalOnBooleanProperty(name = "breaker.metrics.enabled", matchIfMissing = true)
public final class BreakerMetricsAutoConfiguration {

    @Bean
    @ConditionalOnMissingBean
    BreakerMeterBinder breakerMeterBinder(BreakerRegistry registry, BreakerProperties properties) {
        return new BreakerMeterBinder(registry, tags(properties));
    }

    @Bean
    @ConditionalOnMissingBean
    @ConditionalOnBooleanProperty("breaker.metrics.call-duration")
    MicrometerCallTimers breakerCallTimers(ObjectProvider<MeterRegistry> meters, BreakerProperties properties) {
        return new MicrometerCallTimers(meters::getObject, tags(properties));
    }

    static List<Tag> tags(BreakerProperties properties) {
        return properties.getMetrics().getTags().entrySet().stream().map(e -> Tag.of(e.getKey(), e.getValue()))
                .toList();
    }
}
