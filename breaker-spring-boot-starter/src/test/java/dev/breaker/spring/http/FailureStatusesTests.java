package dev.breaker.spring.http;

import org.junit.jupiter.api.Test;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class FailureStatusesTests {

    @Test
    void classesAndCodes() {
        FailureStatuses statuses = FailureStatuses.of(List.of("5xx", "429", " 4XX "));

        assertThat(statuses.isFailure(500)).isTrue();
        assertThat(statuses.isFailure(599)).isTrue();
        assertThat(statuses.isFailure(429)).isTrue();
        assertThat(statuses.isFailure(404)).isTrue();
        assertThat(statuses.isFailure(200)).isFalse();
        assertThat(statuses.isFailure(302)).isFalse();
    }

    @Test
    void theDefault_fiveHundreds_leavesFourHundredsAlone() {
        FailureStatuses statuses = FailureStatuses.of(List.of("5xx"));

        assertThat(statuses.isFailure(503)).isTrue();
        assertThat(statuses.isFailure(404)).isFalse();
        assertThat(statuses.isFailure(429)).isFalse();
    }

    @Test
    void anythingElse_isRefused() {
        assertThat(FailureStatuses.isValid("server errors")).isFalse();
        assertThat(FailureStatuses.isValid("600")).isFalse();
        assertThat(FailureStatuses.isValid("6xx")).isFalse();
        assertThatThrownBy(() -> FailureStatuses.of(List.of("5xx", "server errors")))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("'server errors' is neither a status code from 100 to 599 nor a class from 1xx to 5xx");
    }
}
