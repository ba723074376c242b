package dev.breaker.spring.web;

import dev.breaker.CallNotPermittedException;
import org.springframework.core.Ordered;
import org.springframework.core.annotation.Order;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.ProblemDetail;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.RestControllerAdvice;

import java.time.Duration;

/**
 * Turns a {@link CallNotPermittedException} that reaches Spring MVC or WebFlux into HTTP 503 Service Unavailable
 * with a {@code Retry-After} header (whole seconds, rounded up; absent for a breaker forced open by hand) and an
 * RFC 9457 problem detail naming the breaker, its state, its level, the reason and, for a rejection by an open
 * dependency, the dependency ({@code blockedBy}). Ordered before application
 * advice that handles {@code Exception} generally; turn it off with {@code breaker.web.problem-details=false}.
 */
@RestControllerAdvice
@Order(Ordered.HIGHEST_PRECEDENCE + 100)
public class CallNotPermittedProblemHandler {

    @ExceptionHandler(CallNotPermittedException.class)
    public ResponseEntity<ProblemDetail> handle(CallNotPermittedException rejection) {
        ProblemDetail problem = ProblemDetail.forStatusAndDetail(HttpStatus.SERVICE_UNAVAILABLE,
                rejection.getMessage());
        problem.setTitle("Service Unavailable");
        problem.setProperty("breaker", rejection.breakerName());
        problem.setProperty("state", rejection.state().name());
        problem.setProperty("level", rejection.level().name());
        problem.setProperty("reason", rejection.reason().name());
        rejection.blockedBy().ifPresent(dependency -> problem.setProperty("blockedBy", dependency));
        ResponseEntity.BodyBuilder response = ResponseEntity.status(HttpStatus.SERVICE_UNAVAILABLE);
        rejection.retryAfter().ifPresent(wait -> {
            long seconds = retryAfterSeconds(wait);
            problem.setProperty("retryAfterSeconds", seconds);
            response.header(HttpHeaders.RETRY_AFTER, Long.toString(seconds));
        });
        return response.body(problem);
    }

    private static long retryAfterSeconds(Duration wait) {
        long seconds = wait.toSeconds() + (wait.toNanosPart() > 0 ? 1 : 0);
        return Math.max(1, seconds);
    }
}
