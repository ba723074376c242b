package dev.breaker.spring.states;

import dev.breaker.CircuitState;
import dev.breaker.Level;
import dev.breaker.spring.states.BreakerStates.HealthStatus;
import dev.breaker.spring.states.BreakerStates.LevelDescriptor;
import dev.breaker.spring.states.BreakerStates.StateDescriptor;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class BreakerStatesTests {

    @Test
    void everyStateAndLevel_isDescribed_inTheirOrder() {
        assertThat(BreakerStates.states()).extracting(StateDescriptor::state).containsExactly(CircuitState.values());
        assertThat(BreakerStates.levels()).extracting(LevelDescriptor::level).containsExactly(Level.values());
    }

    @Test
    void tags_areDistinctLowerCaseWords_asPrometheusLabelValues() {
        assertThat(BreakerStates.states()).extracting(StateDescriptor::tag).doesNotHaveDuplicates()
                .allMatch(tag -> tag.matches("[a-z_]+"));
        assertThat(BreakerStates.levels()).extracting(LevelDescriptor::tag).doesNotHaveDuplicates()
                .allMatch(tag -> tag.matches("[a-z_]+"));
        assertThat(BreakerStates.of(CircuitState.HALF_OPEN).tag()).isEqualTo("half_open");
    }

    @Test
    void recovering_isUp_andShowsItsRamp_theOthersDoNot() {
        assertThat(BreakerStates.of(CircuitState.RECOVERING).health()).isEqualTo(HealthStatus.UP);
        assertThat(BreakerStates.states()).filteredOn(StateDescriptor::showsRamp).extracting(StateDescriptor::state)
                .containsExactly(CircuitState.RECOVERING);
    }

    @Test
    void rejectingStates_showTheOpenStatus_halfOpenItsOwn_theRestUp() {
        assertThat(BreakerStates.states()).allSatisfy(shown -> assertThat(shown.health()).isEqualTo(
                shown.state().rejectsCalls() ? HealthStatus.OPEN
                        : shown.state() == CircuitState.HALF_OPEN ? HealthStatus.HALF_OPEN : HealthStatus.UP));
    }

    @Test
    void onlyTheLevelsTheStateDoesNotTell_areBadges() {
        assertThat(BreakerStates.levels()).filteredOn(LevelDescriptor::badge).extracting(LevelDescriptor::level)
                .containsExactly(Level.WARNING, Level.EMERGENCY);
    }
}
