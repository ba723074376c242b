package dev.breaker.spring.actuate;

import dev.breaker.FakeTicker;
import dev.breaker.spring.autoconfigure.BreakerConfigCustomizer;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/** A web application whose breakers all run on one fake ticker, so that times and ages are exact. */
@Configuration(proxyBeanMethods = false)
@EnableAutoConfiguration
public class ActuatorTestApp {

    @Bean
    FakeTicker fakeTicker() {
        return new FakeTicker();
    }

    @Bean
    BreakerConfigCustomizer fakeTime(FakeTicker ticker) {
        return (name, builder) -> builder.ticker(ticker).clock(ticker.clock());
    }
}
