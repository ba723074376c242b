package dev.breaker.redis;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

class QuorumTest {

    @Test
    void parse_takesACountOrAPercentage() {
        assertThat(Quorum.parse("2")).isEqualTo(Quorum.ofInstances(2));
        assertThat(Quorum.parse(" 50% ")).isEqualTo(Quorum.ofPercent(50));
        assertThat(Quorum.parse("33.3%").toString()).isEqualTo("33.3%");
        assertThat(Quorum.HALF).hasToString("50%");
    }

    @Test
    void parse_refusesWhatIsNeither_sayingWhatIsValid() {
        for (String bad : new String[] {"0", "-1", "0%", "101%", "half", "", "2.5"}) {
            assertThatIllegalArgumentException().isThrownBy(() -> Quorum.parse(bad))
                    .withMessage("must be a number of instances of at least 1 (such as 2) or a percentage of the"
                            + " live instances in (0, 100] (such as 50%)");
        }
    }

    @Test
    void required_roundsAPercentageUp_andNeedsAtLeastOneInstance() {
        assertThat(Quorum.ofPercent(50).required(3)).isEqualTo(2);
        assertThat(Quorum.ofPercent(50).required(4)).isEqualTo(2);
        assertThat(Quorum.ofPercent(50).required(0)).isEqualTo(1);
        assertThat(Quorum.ofPercent(100).required(5)).isEqualTo(5);
        assertThat(Quorum.ofInstances(2).required(10)).isEqualTo(2);
    }
}
