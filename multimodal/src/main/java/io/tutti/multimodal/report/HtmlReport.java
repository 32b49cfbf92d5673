package io.tutti.multimodal.report;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Self-contained HTML reports (inline SVG, no scripts): for one run, the training curves, the
 * per-modality accuracies and the missing-modality curves; for a comparison, the summary table and
 * per-method bars and curves.
 */
public final class HtmlReport {
    private HtmlReport() {
    }

    /** The report of one run, from its {@code metrics.json} structure. */
    @SuppressWarnings("unchecked")
    public static String forRun(Map<String, Object> metrics) {
        StringBuilder sb = head("tutti: " + metrics.get("method") + " on " + metrics.get("dataset"));
        Map<String, Object> test = (Map<String, Object>) metrics.get("test");
        sb.append("<h1>").append(Svg.esc(metrics.get("method") + " on " + metrics.get("dataset") + " (" + metrics.get("split") + ")"))
                .append("</h1>");
        sb.append(String.format(Locale.ROOT, "<p>seed %s, %s epochs, %.1f s of training. Test accuracy <b>%.4f</b>, macro-F1 %.4f, mAP %.4f.</p>",
                metrics.get("seed"), metrics.get("epochs"), Svg.num(metrics.get("train_seconds")), Svg.num(test.get("accuracy")),
                Svg.num(test.get("macro_f1")), Svg.num(test.get("map"))));
        List<Object> history = (List<Object>) metrics.getOrDefault("history", List.of());
        Map<String, List<double[]>> loss = new LinkedHashMap<>();
        Map<String, List<double[]>> acc = new LinkedHashMap<>();
        loss.put("train loss", new ArrayList<>());
        acc.put("train (fused)", new ArrayList<>());
        acc.put("val (fused)", new ArrayList<>());
        for (Object o : history) {
            Map<String, Object> r = (Map<String, Object>) o;
            double e = Svg.num(r.get("epoch")) + 1;
            loss.get("train loss").add(new double[] {e, Svg.num(r.get("train_loss"))});
            acc.get("train (fused)").add(new double[] {e, Svg.num(r.get("train_accuracy"))});
            acc.get("val (fused)").add(new double[] {e, Svg.num(r.get("val_accuracy"))});
            ((Map<String, Object>) r.get("val_per_modality_accuracy")).forEach((m, v) ->
                    acc.computeIfAbsent("val " + m, k -> new ArrayList<>()).add(new double[] {e, Svg.num(v)}));
        }
        sb.append("<h2>Training curves</h2>");
        sb.append(Svg.lineChart("training loss", "epoch", "loss", loss));
        sb.append(Svg.lineChart("accuracy", "epoch", "accuracy", acc));
        Map<String, Object> perModality = (Map<String, Object>) test.get("per_modality_accuracy");
        List<String> cats = new ArrayList<>(perModality.keySet());
        double[] vals = new double[cats.size()];
        for (int i = 0; i < vals.length; i++) {
            vals[i] = Svg.num(perModality.get(cats.get(i)));
        }
        sb.append("<h2>Per-modality test accuracy</h2>");
        sb.append("<p>probe: ").append(Svg.esc(String.valueOf(test.get("probe")))).append("</p>");
        sb.append(Svg.barChart("per-modality accuracy (test)", cats, Map.of(String.valueOf(metrics.get("method")), vals)));
        Map<String, Object> missing = (Map<String, Object>) test.get("missing_modality");
        if (missing != null && !missing.isEmpty()) {
            Map<String, List<double[]>> curves = new LinkedHashMap<>();
            missing.forEach((m, pts) -> curves.put(m + " dropped", Svg.points((List<?>) pts)));
            sb.append("<h2>Missing modalities</h2>");
            sb.append(Svg.lineChart("test accuracy vs fraction of samples missing a modality", "fraction dropped", "accuracy", curves));
        }
        sb.append("<h2>Confusion matrix (test; rows true, columns predicted)</h2>").append(matrix(test.get("confusion_matrix")));
        sb.append("<h2>Settings</h2><pre>").append(Svg.esc(Json.write(metrics.get("config")))).append("</pre>");
        return sb.append("</body></html>\n").toString();
    }

    /** The report of a comparison, from its {@code comparison.json} structure and the Markdown table. */
    @SuppressWarnings("unchecked")
    public static String forComparison(Map<String, Object> comparison, String markdownTable) {
        StringBuilder sb = head("tutti compare on " + comparison.get("dataset"));
        sb.append("<h1>").append(Svg.esc("Comparison on " + comparison.get("dataset") + " (" + comparison.get("split") + ")")).append("</h1>");
        sb.append("<pre>").append(Svg.esc(markdownTable)).append("</pre>");
        List<Object> summary = (List<Object>) comparison.get("summary");
        List<String> cats = new ArrayList<>();
        cats.add("fused");
        Map<String, double[]> bars = new LinkedHashMap<>();
        for (Object o : summary) {
            Map<String, Object> s = (Map<String, Object>) o;
            ((Map<String, Object>) s.get("per_modality_accuracy_mean")).keySet().forEach(m -> {
                if (!cats.contains(m)) {
                    cats.add(m);
                }
            });
        }
        for (Object o : summary) {
            Map<String, Object> s = (Map<String, Object>) o;
            double[] v = new double[cats.size()];
            v[0] = Svg.num(s.get("accuracy_mean"));
            Map<String, Object> pm = (Map<String, Object>) s.get("per_modality_accuracy_mean");
            for (int i = 1; i < cats.size(); i++) {
                v[i] = Svg.num(pm.get(cats.get(i)));
            }
            bars.put(String.valueOf(s.get("method")), v);
        }
        sb.append(Svg.barChart("mean test accuracy", cats, bars));
        Map<String, Map<String, List<double[]>>> missing = new LinkedHashMap<>();
        for (Object o : (List<Object>) comparison.get("runs")) {
            Map<String, Object> run = (Map<String, Object>) o;
            if (!Double.valueOf(Svg.num(run.get("seed"))).equals(Svg.num(((Map<String, Object>) ((List<Object>) comparison.get("runs")).get(0)).get("seed")))) {
                continue;   // curves of the first seed only
            }
            Map<String, Object> mm = (Map<String, Object>) ((Map<String, Object>) run.get("test")).get("missing_modality");
            if (mm != null) {
                mm.forEach((m, pts) -> missing.computeIfAbsent(m, k -> new LinkedHashMap<>()).put(String.valueOf(run.get("method")),
                        Svg.points((List<?>) pts)));
            }
        }
        missing.forEach((m, curves) -> sb.append(Svg.lineChart("accuracy with '" + m + "' missing (first seed)", "fraction dropped",
                "accuracy", curves)));
        return sb.append("</body></html>\n").toString();
    }

    private static StringBuilder head(String title) {
        return new StringBuilder("<!DOCTYPE html><html><head><meta charset=\"utf-8\"><title>").append(Svg.esc(title))
                .append("</title><style>body{font-family:sans-serif;max-width:1200px;margin:20px} svg{margin:6px;border:1px solid #eee}"
                        + " table{border-collapse:collapse} td{border:1px solid #ccc;padding:2px 6px;text-align:right}</style></head><body>");
    }

    private static String matrix(Object o) {
        if (!(o instanceof int[][] m)) {
            return "";
        }
        StringBuilder sb = new StringBuilder("<table>");
        for (int[] row : m) {
            sb.append("<tr>");
            for (int v : row) {
                sb.append("<td>").append(v).append("</td>");
            }
            sb.append("</tr>");
        }
        return sb.append("</table>").toString();
    }
}
