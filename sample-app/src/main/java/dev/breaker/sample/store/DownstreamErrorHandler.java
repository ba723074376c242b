package dev.breaker.sample.store;

import org.springframework.http.HttpStatus;
import org.springframework.http.ProblemDetail;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.RestControllerAdvice;
import org.springframework.web.client.ResourceAccessException;
import org.springframework.web.client.RestClientException;
import org.springframework.web.client.RestClientResponseException;

/**
 * Answers a downstream failure that no fallback took (the pricing service failing while its breaker is still
 * closed, say) with 502 Bad Gateway rather than 500: the storefront is fine, a service behind it is not. The
 * downstream's own answer is not passed on. (Calls the breaker rejects are the starter's: 503 with Retry-After.)
 */
@RestControllerAdvice(assignableTypes = ProductController.class)
class DownstreamErrorHandler {

    @ExceptionHandler(RestClientException.class)
    ProblemDetail downstreamFailed(RestClientException error) {
        String detail;
        if (error instanceof RestClientResponseException response) {
            detail = "A downstream service answered " + response.getStatusCode().value();
        } else if (error instanceof ResourceAccessException) {
            detail = "A downstream service did not answer in time or could not be reached";
        } else {
            detail = "A downstream service gave an answer the storefront could not read";
        }
        ProblemDetail problem = ProblemDetail.forStatusAndDetail(HttpStatus.BAD_GATEWAY, detail);
        problem.setTitle("Bad Gateway");
        return problem;
    }
}
