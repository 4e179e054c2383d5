package io.jitbroker.bench;

import io.jitbroker.policy.domain.AccessQuery;
import io.jitbroker.policy.domain.Decision;
import io.jitbroker.policy.domain.PolicyEngine;
import io.jitbroker.policy.domain.WorkloadState;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * One policy decision, {@link PolicyEngine#decide(AccessQuery, WorkloadState)} (the live-state checks
 * and the rules), on a {@link GeneratedPolicy} of {@link #rules} rules: no Kafka, no HTTP, no
 * Micronaut. Latency as sampled percentiles, and throughput.
 * {@link PolicyBenchmark} runs it with the command line's iteration counts.
 */
@State(Scope.Benchmark)
@Fork(1)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
public class PolicyDecisionBenchmark {

    @Param({"10", "100", "1000"})
    public int rules;

    /** false: the same rules without their CEL conditions, to see what the conditions cost. */
    @Param({"true"})
    public boolean conditions;

    /** "realistic": {@link GeneratedPolicy#policy}; "all-match": {@link GeneratedPolicy#allMatchPolicy}, the worst case. */
    @Param({REALISTIC})
    public String bundle;

    static final String REALISTIC = "realistic";
    static final String ALL_MATCH = "all-match";

    private PolicyEngine engine;
    private AccessQuery query;
    private WorkloadState state;

    @Setup(Level.Trial)
    public void loadPolicy() {
        engine = new PolicyEngine(ALL_MATCH.equals(bundle) ? GeneratedPolicy.allMatchPolicy(rules)
                : GeneratedPolicy.policy(rules, conditions));
        query = GeneratedPolicy.query();
        state = GeneratedPolicy.state();
        // Measure the intended decision or nothing.
        GeneratedPolicy.requireApprovedByTarget(engine.decide(query, state), rules);
    }

    @Benchmark
    @BenchmarkMode(Mode.SampleTime)
    @OutputTimeUnit(TimeUnit.MICROSECONDS)
    public Decision decideLatency() {
        return engine.decide(query, state);
    }

    @Benchmark
    @BenchmarkMode(Mode.Throughput)
    @OutputTimeUnit(TimeUnit.SECONDS)
    public Decision decideThroughput() {
        return engine.decide(query, state);
    }
}
