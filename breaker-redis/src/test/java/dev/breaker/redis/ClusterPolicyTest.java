package dev.breaker.redis;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

class ClusterPolicyTest {

    @Test
    void modes_parseByTheirConfigurationNames() {
        assertThat(ClusterPolicy.Mode.parse("share-open")).isEqualTo(ClusterPolicy.Mode.SHARE_OPEN);
        assertThat(ClusterPolicy.Mode.parse(" Quorum ")).isEqualTo(ClusterPolicy.Mode.QUORUM);
        assertThatIllegalArgumentException().isThrownBy(() -> ClusterPolicy.Mode.parse("shared"))
                .withMessage("must be one of local, share-open, quorum");
    }

    @Test
    void toString_namesTheModeAndTheQuorum() {
        assertThat(ClusterPolicy.LOCAL).hasToString("local");
        assertThat(ClusterPolicy.SHARE_OPEN).hasToString("share-open");
        assertThat(ClusterPolicy.quorum(Quorum.ofInstances(2), 0)).hasToString("quorum(2)");
        assertThat(ClusterPolicy.quorum(Quorum.HALF, 40)).hasToString("quorum(50%, 40 calls)");
    }

    @Test
    void negativeMinimumCalls_areRefused() {
        assertThatIllegalArgumentException().isThrownBy(() -> ClusterPolicy.quorum(Quorum.HALF, -1))
                .withMessage("minimumCalls must be at least 0 (0: the breaker's own), was -1");
    }
}
