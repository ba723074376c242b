package dev.breaker.spring.autoconfigure;

import dev.breaker.spring.web.CallNotPermittedProblemHandler;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBooleanProperty;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnWebApplication;
import org.springframework.context.annotation.Bean;
import org.springframework.http.ProblemDetail;

/**
 * Answers rejected calls that reach Spring MVC or WebFlux with HTTP 503, {@code Retry-After} and a problem detail.
 */
@AutoConfiguration(after = BreakerAutoConfiguration.class)
@ConditionalOnWebApplication
@ConditionalOnClass(ProblemDetail.class)
@ConditionalOnBooleanProperty(name = "breaker.web.problem-details", matchIfMissing = true)
public final class BreakerWebAutoConfiguration {

    @Bean
    @ConditionalOnMissingBean
    CallNotPermittedProblemHandler callNotPermittedProblemHandler() {
        return new CallNotPermittedProblemHandler();
    }
}
