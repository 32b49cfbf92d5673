package io.tutti.multimodal.eval;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;

/**
 * Classification metrics over predictions held in plain arrays: accuracy, the confusion matrix,
 * macro-F1 (as {@code sklearn.metrics.f1_score(average='macro')}) and mAP (mean over classes of the
 * average precision of the scores, as {@code sklearn.metrics.average_precision_score}).
 */
public final class Metrics {
    private Metrics() {
    }

    /** Fraction of samples whose prediction equals the label (NaN for no samples). */
    public static double accuracy(int[] predicted, int[] labels) {
        checkLengths("accuracy", predicted.length, labels.length);
        if (labels.length == 0) {
            return Double.NaN;
        }
        int correct = 0;
        for (int i = 0; i < labels.length; i++) {
            if (predicted[i] == labels[i]) {
                correct++;
            }
        }
        return (double) correct / labels.length;
    }

    /** counts[true][predicted]. */
    public static int[][] confusionMatrix(int[] predicted, int[] labels, int classes) {
        checkLengths("confusionMatrix", predicted.length, labels.length);
        int[][] m = new int[classes][classes];
        for (int i = 0; i < labels.length; i++) {
            if (labels[i] < 0 || labels[i] >= classes || predicted[i] < 0 || predicted[i] >= classes) {
                throw new IllegalArgumentException("confusionMatrix: class index out of range 0.." + (classes - 1) + " at sample " + i);
            }
            m[labels[i]][predicted[i]]++;
        }
        return m;
    }

    /**
     * The unweighted mean of per-class F1 over the classes that occur among labels or predictions;
     * a class with no true positives scores 0.
     */
    public static double macroF1(int[] predicted, int[] labels, int classes) {
        int[][] m = confusionMatrix(predicted, labels, classes);
        double sum = 0;
        int counted = 0;
        for (int c = 0; c < classes; c++) {
            int tp = m[c][c];
            int support = 0;
            int predictedAs = 0;
            for (int j = 0; j < classes; j++) {
                support += m[c][j];
                predictedAs += m[j][c];
            }
            if (support == 0 && predictedAs == 0) {
                continue;
            }
            counted++;
            sum += tp == 0 ? 0 : 2.0 * tp / (support + predictedAs);
        }
        return counted == 0 ? Double.NaN : sum / counted;
    }

    /**
     * Mean over classes (that have at least one positive) of the average precision of
     * {@code scores[i][c]} for "sample i is class c": the sum over score thresholds of
     * (recall gained) x (precision there), with tied scores taken together.
     */
    public static double meanAveragePrecision(double[][] scores, int[] labels, int classes) {
        checkLengths("meanAveragePrecision", scores.length, labels.length);
        double sum = 0;
        int counted = 0;
        for (int c = 0; c < classes; c++) {
            double ap = averagePrecision(scores, labels, c);
            if (!Double.isNaN(ap)) {
                sum += ap;
                counted++;
            }
        }
        return counted == 0 ? Double.NaN : sum / counted;
    }

    static double averagePrecision(double[][] scores, int[] labels, int c) {
        int n = labels.length;
        int positives = 0;
        for (int label : labels) {
            if (label == c) {
                positives++;
            }
        }
        if (positives == 0) {
            return Double.NaN;
        }
        Integer[] order = new Integer[n];
        for (int i = 0; i < n; i++) {
            order[i] = i;
        }
        Arrays.sort(order, Comparator.comparingDouble((Integer i) -> scores[i][c]).reversed());
        double ap = 0;
        int tp = 0;
        int seen = 0;
        double lastRecall = 0;
        for (int i = 0; i < n; ) {
            double threshold = scores[order[i]][c];
            while (i < n && scores[order[i]][c] == threshold) {   // a group of tied scores crosses the threshold together
                if (labels[order[i]] == c) {
                    tp++;
                }
                seen++;
                i++;
            }
            double recall = (double) tp / positives;
            ap += (recall - lastRecall) * ((double) tp / seen);
            lastRecall = recall;
        }
        return ap;
    }

    /** Index of the largest score in each row (first on ties). */
    public static int[] argmax(double[][] scores) {
        int[] out = new int[scores.length];
        for (int i = 0; i < scores.length; i++) {
            int best = 0;
            for (int c = 1; c < scores[i].length; c++) {
                if (scores[i][c] > scores[i][best]) {
                    best = c;
                }
            }
            out[i] = best;
        }
        return out;
    }

    /** Mean and (population) standard deviation of a list of values, NaN entries skipped. */
    public static double[] meanAndStd(List<Double> values) {
        List<Double> v = new ArrayList<>();
        for (Double d : values) {
            if (d != null && !d.isNaN()) {
                v.add(d);
            }
        }
        if (v.isEmpty()) {
            return new double[] {Double.NaN, Double.NaN};
        }
        double mean = v.stream().mapToDouble(Double::doubleValue).average().orElse(Double.NaN);
        double var = v.stream().mapToDouble(d -> (d - mean) * (d - mean)).sum() / v.size();
        return new double[] {mean, Math.sqrt(var)};
    }

    private static void checkLengths(String op, int a, int b) {
        if (a != b) {
            throw new IllegalArgumentException(op + ": " + a + " predictions for " + b + " labels");
        }
    }
}
