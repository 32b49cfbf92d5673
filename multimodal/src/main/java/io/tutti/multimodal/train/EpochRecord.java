package io.tutti.multimodal.train;

import java.util.LinkedHashMap;
import java.util.Map;

/** One epoch of a training history: the phase, training loss and accuracies, validation accuracies, time. */
public record EpochRecord(String phase, int epoch, double trainLoss, double trainAccuracy, Map<String, Double> trainModalityAccuracy,
                          double valAccuracy, Map<String, Double> valModalityAccuracy, double seconds) {
    public Map<String, Object> toJson() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("phase", phase);
        m.put("epoch", epoch);
        m.put("train_loss", trainLoss);
        m.put("train_accuracy", trainAccuracy);
        m.put("train_per_modality_accuracy", new LinkedHashMap<>(trainModalityAccuracy));
        m.put("val_accuracy", valAccuracy);
        m.put("val_per_modality_accuracy", new LinkedHashMap<>(valModalityAccuracy));
        m.put("seconds", seconds);
        return m;
    }

    @SuppressWarnings("unchecked")
    static EpochRecord fromJson(Map<String, Object> m) {
        return new EpochRecord((String) m.get("phase"), ((Number) m.get("epoch")).intValue(), num(m.get("train_loss")),
                num(m.get("train_accuracy")), doubles((Map<String, Object>) m.get("train_per_modality_accuracy")),
                num(m.get("val_accuracy")), doubles((Map<String, Object>) m.get("val_per_modality_accuracy")), num(m.get("seconds")));
    }

    private static double num(Object o) {
        return o == null ? Double.NaN : ((Number) o).doubleValue();
    }

    private static Map<String, Double> doubles(Map<String, Object> m) {
        Map<String, Double> out = new LinkedHashMap<>();
        m.forEach((k, v) -> out.put(k, num(v)));
        return out;
    }
}
