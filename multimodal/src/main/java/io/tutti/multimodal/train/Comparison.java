package io.tutti.multimodal.train;

import io.tutti.multimodal.eval.Metrics;
import io.tutti.multimodal.report.HtmlReport;
import io.tutti.multimodal.report.Json;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * {@code tutti compare}: runs every method for every seed, then summarises mean and standard
 * deviation per method of the fused accuracy, per-modality accuracy and the imbalance gap, into
 * {@code comparison.json}, {@code comparison.md} and {@code comparison.html}.
 *
 * <p>Imbalance gap of modality m = (accuracy of m's encoder trained alone) − (m's probe accuracy
 * inside the multimodal model), per seed. "Alone" is the uni-modal ensemble's own-head accuracy of
 * the same seed (each of its encoders is trained alone); when the ensemble is not among the methods,
 * {@code --gap} adds ensemble runs as the reference (not listed as a compared method).
 */
public final class Comparison {
    public static final String JSON = "comparison.json";
    public static final String MARKDOWN = "comparison.md";
    public static final String HTML = "comparison.html";

    private Comparison() {
    }

    /** Runs the comparison; writes into {@code outDir} (runs in {@code outDir/<method>/seed<k>}) and returns comparison.json's content. */
    public static Map<String, Object> run(List<String> methods, List<Long> seeds, Experiment.Setup setup, Path outDir, boolean gap,
                                          java.io.PrintStream log) {
        List<Map<String, Object>> runs = new ArrayList<>();
        Map<Long, Map<String, Object>> reference = new LinkedHashMap<>();
        List<String> toRun = new ArrayList<>(methods);
        boolean extraReference = gap && !methods.contains("ensemble");
        if (extraReference) {
            toRun.add("ensemble");
        }
        for (long seed : seeds) {
            for (String method : toRun) {
                log.println(String.format(Locale.ROOT, "== %s, seed %d ==", method, seed));
                Experiment.Setup s = new Experiment.Setup(setup.data(), setup.dataset(), setup.split(), setup.dataSeed(), setup.config().withSeed(seed),
                        setup.encoders(), setup.linearProbe(), setup.progress());
                Path dir = outDir == null ? null : outDir.resolve(method).resolve("seed" + seed);
                Map<String, Object> m = Experiment.run(method, s, dir, null);
                log.println(String.format(Locale.ROOT, "   test accuracy %.4f, per modality %s (%.1f s)", num(m, "test", "accuracy"),
                        perModality(m), ((Number) m.get("train_seconds")).doubleValue()));
                if (method.equals("ensemble")) {
                    reference.put(seed, m);
                }
                if (methods.contains(method)) {
                    runs.add(m);
                }
            }
        }
        if (gap || methods.contains("ensemble")) {
            for (Map<String, Object> r : runs) {
                Map<String, Object> ref = reference.get(((Number) r.get("seed")).longValue());
                if (ref != null) {
                    Map<String, Object> g = new LinkedHashMap<>();
                    Map<String, Double> alone = perModality(ref);
                    perModality(r).forEach((mod, acc) -> {
                        if (alone.containsKey(mod)) {
                            g.put(mod, alone.get(mod) - acc);
                        }
                    });
                    test(r).put("imbalance_gap", g);
                }
            }
        }
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("dataset", setup.dataset());
        out.put("split", setup.split());
        out.put("runs", runs);
        out.put("summary", summarise(methods, runs));
        String table = markdown(out);
        if (outDir != null) {
            try {
                Json.writeFile(outDir.resolve(JSON), out);
                Json.writeAtomically(outDir.resolve(MARKDOWN), table);
                Json.writeAtomically(outDir.resolve(HTML), HtmlReport.forComparison(out, table));
            } catch (IOException e) {
                throw new UncheckedIOException("compare: cannot write into " + outDir + ": " + e.getMessage(), e);
            }
        }
        return out;
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> test(Map<String, Object> run) {
        return (Map<String, Object>) run.get("test");
    }

    private static double num(Map<String, Object> run, String split, String key) {
        Object v = ((Map<?, ?>) run.get(split)).get(key);
        return v instanceof Number n ? n.doubleValue() : Double.NaN;
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Double> perModality(Map<String, Object> run) {
        Map<String, Double> out = new LinkedHashMap<>();
        ((Map<String, Object>) test(run).get("per_modality_accuracy")).forEach((k, v) -> out.put(k, v instanceof Number n ? n.doubleValue() : Double.NaN));
        return out;
    }

    /** Mean and population standard deviation per method. */
    @SuppressWarnings("unchecked")
    static List<Object> summarise(List<String> methods, List<Map<String, Object>> runs) {
        List<Object> summary = new ArrayList<>();
        for (String method : methods) {
            List<Double> acc = new ArrayList<>();
            List<Double> f1 = new ArrayList<>();
            Map<String, List<Double>> mod = new LinkedHashMap<>();
            Map<String, List<Double>> gap = new LinkedHashMap<>();
            double seconds = 0;
            int n = 0;
            for (Map<String, Object> r : runs) {
                if (!method.equals(r.get("method"))) {
                    continue;
                }
                n++;
                acc.add(num(r, "test", "accuracy"));
                f1.add(num(r, "test", "macro_f1"));
                seconds += ((Number) r.get("train_seconds")).doubleValue();
                perModality(r).forEach((k, v) -> mod.computeIfAbsent(k, x -> new ArrayList<>()).add(v));
                Object g = test(r).get("imbalance_gap");
                if (g != null) {
                    ((Map<String, Object>) g).forEach((k, v) -> gap.computeIfAbsent(k, x -> new ArrayList<>()).add(((Number) v).doubleValue()));
                }
            }
            Map<String, Object> s = new LinkedHashMap<>();
            s.put("method", method);
            s.put("runs", n);
            double[] a = Metrics.meanAndStd(acc);
            s.put("accuracy_mean", a[0]);
            s.put("accuracy_std", a[1]);
            double[] f = Metrics.meanAndStd(f1);
            s.put("macro_f1_mean", f[0]);
            s.put("macro_f1_std", f[1]);
            Map<String, Object> pm = new LinkedHashMap<>();
            Map<String, Object> ps = new LinkedHashMap<>();
            mod.forEach((k, v) -> {
                double[] ms = Metrics.meanAndStd(v);
                pm.put(k, ms[0]);
                ps.put(k, ms[1]);
            });
            s.put("per_modality_accuracy_mean", pm);
            s.put("per_modality_accuracy_std", ps);
            if (!gap.isEmpty()) {
                Map<String, Object> gm = new LinkedHashMap<>();
                Map<String, Object> gs = new LinkedHashMap<>();
                gap.forEach((k, v) -> {
                    double[] ms = Metrics.meanAndStd(v);
                    gm.put(k, ms[0]);
                    gs.put(k, ms[1]);
                });
                s.put("imbalance_gap_mean", gm);
                s.put("imbalance_gap_std", gs);
            }
            s.put("train_seconds_mean", n == 0 ? Double.NaN : seconds / n);
            summary.add(s);
        }
        return summary;
    }

    /** The Markdown table of the summary: mean ± std of fused accuracy, per-modality accuracy and imbalance gap. */
    @SuppressWarnings("unchecked")
    public static String markdown(Map<String, Object> comparison) {
        List<Object> summary = (List<Object>) comparison.get("summary");
        Set<String> mods = new LinkedHashSet<>();
        boolean anyGap = false;
        for (Object o : summary) {
            Map<String, Object> s = (Map<String, Object>) o;
            mods.addAll(((Map<String, Object>) s.get("per_modality_accuracy_mean")).keySet());
            anyGap |= s.containsKey("imbalance_gap_mean");
        }
        StringBuilder sb = new StringBuilder();
        sb.append("Dataset ").append(comparison.get("dataset")).append(", split ").append(comparison.get("split"))
                .append(". Test accuracy, mean ± std over seeds.\n\n");
        sb.append("| method | runs | fused acc | macro-F1 |");
        mods.forEach(m -> sb.append(' ').append(m).append(" acc |"));
        if (anyGap) {
            mods.forEach(m -> sb.append(' ').append(m).append(" gap |"));
        }
        sb.append(" train s/run |\n|---|---|---|---|");
        mods.forEach(m -> sb.append("---|"));
        if (anyGap) {
            mods.forEach(m -> sb.append("---|"));
        }
        sb.append("---|\n");
        for (Object o : summary) {
            Map<String, Object> s = (Map<String, Object>) o;
            sb.append("| ").append(s.get("method")).append(" | ").append(s.get("runs")).append(" | ")
                    .append(pm(s.get("accuracy_mean"), s.get("accuracy_std"))).append(" | ")
                    .append(pm(s.get("macro_f1_mean"), s.get("macro_f1_std"))).append(" |");
            Map<String, Object> mean = (Map<String, Object>) s.get("per_modality_accuracy_mean");
            Map<String, Object> std = (Map<String, Object>) s.get("per_modality_accuracy_std");
            mods.forEach(m -> sb.append(' ').append(pm(mean.get(m), std.get(m))).append(" |"));
            if (anyGap) {
                Map<String, Object> gm = (Map<String, Object>) s.getOrDefault("imbalance_gap_mean", Map.of());
                Map<String, Object> gs = (Map<String, Object>) s.getOrDefault("imbalance_gap_std", Map.of());
                mods.forEach(m -> sb.append(' ').append(pm(gm.get(m), gs.get(m))).append(" |"));
            }
            sb.append(String.format(Locale.ROOT, " %.1f |\n", ((Number) s.get("train_seconds_mean")).doubleValue()));
        }
        sb.append("\nPer-modality accuracy is each method's probe (head split for joint/OGM-GE with concat or sum, own heads for the "
                + "ensemble, linear probing otherwise); gap = accuracy of the modality's encoder trained alone (the ensemble) minus it.\n");
        return sb.toString();
    }

    private static String pm(Object mean, Object std) {
        if (!(mean instanceof Number m) || Double.isNaN(m.doubleValue())) {
            return "–";
        }
        double s = std instanceof Number n ? n.doubleValue() : Double.NaN;
        return String.format(Locale.ROOT, "%.4f ± %.4f", m.doubleValue(), Double.isNaN(s) ? 0 : s);
    }
}
