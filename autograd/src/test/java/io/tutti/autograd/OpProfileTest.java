package io.tutti.autograd;

import io.tutti.tensor.Tensor;
import org.junit.jupiter.api.Test;

import java.util.Map;
import java.util.function.Function;
import java.util.stream.Collectors;

import static org.assertj.core.api.Assertions.assertThat;

class OpProfileTest {
    private static Variable step() {
        Variable x = new Variable(Tensor.of(new float[] {1, 2, 3, 4, 5, 6}, 2, 3));
        Variable w = new Variable(Tensor.of(new float[] {1, 0, 0, 1, 1, 1}, 3, 2), true);
        Variable b = new Variable(Tensor.of(new float[] {0.5f, -0.5f}, 2), true);
        Variable loss = x.matmul(w).add(b).sum();
        loss.backward();
        return loss;
    }

    @Test
    void countsEveryOpsForwardAndBackwardWhileOpen() {
        OpProfile profile;
        try (OpProfile p = Autograd.profile(false)) {
            profile = p;
            step();
            step();
        }
        step();   // after closing: not recorded
        Map<String, OpProfile.Entry> byOp = profile.entries().stream()
                .collect(Collectors.toMap(OpProfile.Entry::op, Function.identity()));
        assertThat(byOp).containsOnlyKeys("matmul", "add", "sum");
        for (OpProfile.Entry e : byOp.values()) {
            assertThat(e.forwardCalls()).as(e.op()).isEqualTo(2);
            assertThat(e.backwardCalls()).as(e.op()).isEqualTo(2);
            assertThat(e.forwardNanos()).as(e.op()).isPositive();
            assertThat(e.backwardNanos()).as(e.op()).isPositive();
        }
        assertThat(profile.totalNanos()).isEqualTo(byOp.values().stream().mapToLong(OpProfile.Entry::totalNanos).sum());
        assertThat(profile.entries().get(0).totalNanos()).isGreaterThanOrEqualTo(profile.entries().get(2).totalNanos());
        assertThat(profile.table()).contains("matmul", "add", "sum", "fwd ms", "bwd ms");
    }

    @Test
    void recordsShapesWhenAskedAndNestedProfilesRestoreTheOuterOne() {
        try (OpProfile outer = Autograd.profile(true)) {
            try (OpProfile inner = Autograd.profile(false)) {
                step();
                assertThat(inner.entries()).extracting(OpProfile.Entry::op).contains("matmul");
            }
            step();
            assertThat(outer.entries()).extracting(OpProfile.Entry::op).contains("matmul [2, 3] [3, 2]", "add [2, 2] [2]");
            assertThat(outer.entries()).allSatisfy(e -> assertThat(e.forwardCalls()).isEqualTo(1));
        }
    }
}
