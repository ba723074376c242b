package dev.breaker.benchmarks;

import com.alibaba.csp.sentinel.SphO;
import com.alibaba.csp.sentinel.slots.block.degrade.DegradeRuleManager;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;

import java.util.List;

/**
 * Sentinel's global degrade rule (error ratio over a 10 s statistic interval) for the closed scenarios, loaded
 * once per fork; the resource must stay closed.
 */
@State(Scope.Benchmark)
public class SentinelState {

    static {
        Fixtures.configureSentinelLogs();
    }

    public final String resource = "time-window";

    @Setup(Level.Trial)
    public void loadRule() {
        DegradeRuleManager.loadRules(List.of(Fixtures.sentinelRule(resource)));
        Fixtures.require(DegradeRuleManager.hasConfig(resource), "Sentinel did not accept " + Fixtures.sentinelRule(
                resource));
    }

    @TearDown(Level.Trial)
    public void requireClosed() {
        boolean passed = SphO.entry(resource);
        if (passed) {
            SphO.exit();
        }
        Fixtures.require(passed, "Sentinel resource '" + resource + "' left CLOSED");
        DegradeRuleManager.loadRules(List.of());
    }
}
