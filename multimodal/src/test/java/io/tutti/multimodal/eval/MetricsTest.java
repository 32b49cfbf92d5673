package io.tutti.multimodal.eval;

import org.junit.jupiter.api.Test;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

/** Hand-computed values (the same numbers scikit-learn gives for these inputs). */
class MetricsTest {
    @Test
    void accuracyConfusionAndMacroF1() {
        int[] labels = {0, 0, 1, 1, 2, 2};
        int[] predicted = {0, 1, 1, 1, 0, 2};
        assertThat(Metrics.accuracy(predicted, labels)).isEqualTo(4.0 / 6);
        int[][] m = Metrics.confusionMatrix(predicted, labels, 3);
        assertThat(m[0]).containsExactly(1, 1, 0);
        assertThat(m[2]).containsExactly(1, 0, 1);
        // F1 per class: 0: p=1/2 r=1/2 -> 0.5; 1: p=2/3 r=1 -> 0.8; 2: p=1 r=1/2 -> 2/3.
        assertThat(Metrics.macroF1(predicted, labels, 3)).isCloseTo((0.5 + 0.8 + 2.0 / 3) / 3, within(1e-12));
        // A class that never occurs is left out, as sklearn does with labels=None.
        assertThat(Metrics.macroF1(predicted, labels, 5)).isCloseTo((0.5 + 0.8 + 2.0 / 3) / 3, within(1e-12));
        assertThatThrownBy(() -> Metrics.accuracy(new int[] {1}, labels)).hasMessageContaining("1 predictions for 6 labels");
    }

    @Test
    void averagePrecisionHandlesRankingAndTies() {
        // sklearn: average_precision_score([1, 0, 1, 0], [0.9, 0.8, 0.7, 0.1]) = (1 + 2/3) / 2.
        double[][] s = {{0.1, 0.9}, {0.2, 0.8}, {0.3, 0.7}, {0.9, 0.1}};
        int[] y = {1, 0, 1, 0};
        assertThat(Metrics.averagePrecision(s, y, 1)).isCloseTo((1 + 2.0 / 3) / 2, within(1e-12));
        // All scores tied: AP equals the positive rate.
        double[][] tied = {{0.5, 0.5}, {0.5, 0.5}, {0.5, 0.5}, {0.5, 0.5}};
        assertThat(Metrics.averagePrecision(tied, y, 1)).isCloseTo(0.5, within(1e-12));
        assertThat(Metrics.meanAveragePrecision(s, y, 2)).isCloseTo(((1 + 2.0 / 3) / 2 + Metrics.averagePrecision(s, y, 0)) / 2, within(1e-12));
        assertThat(Metrics.argmax(s)).containsExactly(1, 1, 1, 0);
    }

    @Test
    void meanAndStd() {
        assertThat(Metrics.meanAndStd(List.of(1.0, 3.0))).containsExactly(2.0, 1.0);
        assertThat(Metrics.meanAndStd(List.of(Double.NaN))[0]).isNaN();
    }
}
