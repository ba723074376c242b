package dev.breaker.spring.priority;

import dev.breaker.Priority;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

/** Which priority a header value gives a request's calls, and which values are ignored. */
class PriorityHeaderTests {

    private final PriorityHeader lowerOnly = new PriorityHeader("Breaker-Priority", false);
    private final PriorityHeader trusted = new PriorityHeader("Breaker-Priority", true);

    @ParameterizedTest
    @CsvSource({"sheddable, SHEDDABLE", "sheddable-plus, SHEDDABLE_PLUS", "SHEDDABLE_PLUS, SHEDDABLE_PLUS",
            "' Sheddable ', SHEDDABLE"})
    void aLowerPriority_isHonoured(String value, Priority expected) {
        assertThat(lowerOnly.priorityOf(value)).isEqualTo(expected);
    }

    @ParameterizedTest
    @ValueSource(strings = {"critical-plus", "CRITICAL_PLUS", "critical"})
    void raising_isIgnored_unlessAllowed(String value) {
        assertThat(lowerOnly.priorityOf(value)).isNull();
        assertThat(trusted.priorityOf(value)).isIn(Priority.CRITICAL_PLUS, Priority.CRITICAL);
    }

    @ParameterizedTest
    @ValueSource(strings = {"", " ", "urgent", "sheddable;q=1", "critical plus", "\u0000sheddable", "3"})
    void aValueNamingNoPriority_isIgnored(String value) {
        assertThat(lowerOnly.priorityOf(value)).isNull();
        assertThat(trusted.priorityOf(value)).isNull();
    }

    @Test
    void noHeader_givesNoPriority() {
        assertThat(lowerOnly.priorityOf(null)).isNull();
    }

    @Test
    void valueOf_isTheKebabCaseName_thatParsesBack() {
        for (Priority priority : Priority.values()) {
            assertThat(trusted.priorityOf(PriorityHeader.valueOf(priority))).isEqualTo(priority);
        }
        assertThat(PriorityHeader.valueOf(Priority.SHEDDABLE_PLUS)).isEqualTo("sheddable-plus");
    }

    @Test
    void aBlankHeaderName_isRefused() {
        assertThatIllegalArgumentException().isThrownBy(() -> new PriorityHeader(" ", false))
                .withMessage("breaker.priority.header must name a header, was blank");
    }
}
