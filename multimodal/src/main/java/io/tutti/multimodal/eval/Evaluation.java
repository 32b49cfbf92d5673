package io.tutti.multimodal.eval;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The scores of a method on one split: fused accuracy, macro-F1, mAP, the confusion matrix
 * ({@code [true][predicted]}) and per-modality (probe) accuracy over the samples that have the
 * modality, with how that accuracy was measured ({@code probe}).
 */
public record Evaluation(double accuracy, double macroF1, double map, int[][] confusion, Map<String, Double> perModalityAccuracy,
                         String probe) {
    /** The fields of {@code metrics.json}'s {@code val}/{@code test} objects (plus the confusion matrix). */
    public Map<String, Object> toJson() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("accuracy", accuracy);
        m.put("macro_f1", macroF1);
        m.put("map", map);
        m.put("per_modality_accuracy", new LinkedHashMap<>(perModalityAccuracy));
        m.put("probe", probe);
        m.put("confusion_matrix", confusion);
        return m;
    }
}
