package io.tutti.multimodal.train;

import io.tutti.multimodal.Encoder;
import io.tutti.multimodal.EncoderFactory;
import io.tutti.multimodal.Method;
import io.tutti.multimodal.Methods;
import io.tutti.multimodal.TrainConfig;
import io.tutti.multimodal.data.MultimodalData;
import io.tutti.multimodal.data.Split;
import io.tutti.multimodal.eval.Evaluation;
import io.tutti.multimodal.eval.Evaluator;
import io.tutti.multimodal.eval.LinearProbe;
import io.tutti.multimodal.report.HtmlReport;
import io.tutti.multimodal.report.Json;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * One complete run as {@code tutti train} does it: train a method, evaluate it on validation and
 * test (accuracy, macro-F1, mAP, confusion, per-modality probe accuracy, missing-modality curves),
 * and write {@code metrics.json}, {@code report.html} and the checkpoint into the output directory.
 */
public final class Experiment {
    /** The file names written into a run's directory. */
    public static final String METRICS = "metrics.json";
    public static final String REPORT = "report.html";

    private Experiment() {
    }

    /** What a run needs besides the method. */
    public record Setup(MultimodalData data, String dataset, String split, long dataSeed, TrainConfig config, EncoderFactory encoders,
                        boolean linearProbe, Progress progress) {
    }

    /** Trains {@code methodName} and returns (and, with {@code outDir}, writes) its metrics. */
    public static Map<String, Object> run(String methodName, Setup setup, Path outDir, Path resume) {
        Method method = Methods.create(methodName);
        Trainer.Options options = new Trainer.Options().outDir(outDir).resume(resume).progress(setup.progress())
                .metadata("dataset", setup.dataset()).metadata("split", setup.split())
                .metadata("data_seed", Long.toString(setup.dataSeed()));
        Trainer.Result result = Trainer.train(method, setup.data(), setup.config(), setup.encoders(), options);
        Map<String, Object> metrics = evaluate(result.method(), setup, result.trainSeconds());
        List<Object> history = new ArrayList<>();
        result.history().forEach(r -> history.add(r.toJson()));
        metrics.put("history", history);
        if (outDir != null) {
            write(outDir, metrics);
        }
        return metrics;
    }

    /** Evaluates a trained method into the {@code metrics.json} structure. */
    public static Map<String, Object> evaluate(Method method, Setup setup, double trainSeconds) {
        MultimodalData data = setup.data();
        TrainConfig config = setup.config();
        MultimodalData train = data.split(Split.TRAIN);
        MultimodalData val = data.split(Split.VALIDATION);
        MultimodalData test = data.split(Split.TEST);
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("method", method.name());
        m.put("dataset", setup.dataset());
        m.put("split", setup.split());
        m.put("seed", config.seed());
        m.put("epochs", config.epochs());
        m.put("train_seconds", trainSeconds);
        m.put("val", val.size() == 0 ? new LinkedHashMap<>() : splitMetrics(method, train, val, setup, false));
        Map<String, Object> t = splitMetrics(method, train, test, setup, setup.linearProbe());
        t.put("missing_modality", curves(Evaluator.missingModality(method, test, 256, config.seed())));
        m.put("test", t);
        m.put("probe", method.probe());
        m.put("modalities", data.modalityNames());
        Map<String, Object> enc = new LinkedHashMap<>();
        method.encoders().forEach((k, e) -> enc.put(k, e.describe()));
        m.put("encoders", enc);
        m.put("config", new LinkedHashMap<>(config.describe()));
        return m;
    }

    private static Map<String, Object> splitMetrics(Method method, MultimodalData train, MultimodalData split, Setup setup, boolean linear) {
        Evaluation e = Evaluator.evaluate(method, split, 256);
        Map<String, Object> out = e.toJson();
        @SuppressWarnings("unchecked")
        Map<String, Object> perModality = (Map<String, Object>) out.get("per_modality_accuracy");
        Map<String, Object> probes = new LinkedHashMap<>();
        Map<String, Object> linearAcc = new LinkedHashMap<>();
        for (String mod : split.modalityNames()) {
            Encoder enc = method.encoders().get(mod);
            boolean needed = !perModality.containsKey(mod);
            if ((needed || linear) && enc != null) {
                double acc = LinearProbe.accuracy(enc, method.model(), mod, train, split, setup.config().seed());
                linearAcc.put(mod, acc);
                if (needed) {
                    perModality.put(mod, acc);
                }
            }
            probes.put(mod, e.perModalityAccuracy().containsKey(mod) ? method.probe() : "linear-probe");
        }
        Map<String, Object> ordered = new LinkedHashMap<>();
        for (String mod : split.modalityNames()) {
            if (perModality.containsKey(mod)) {
                ordered.put(mod, perModality.get(mod));
            }
        }
        out.put("per_modality_accuracy", ordered);
        out.put("probe", probes);
        if (!linearAcc.isEmpty()) {
            out.put("linear_probe_accuracy", linearAcc);
        }
        return out;
    }

    private static Map<String, Object> curves(Map<String, List<double[]>> c) {
        Map<String, Object> out = new LinkedHashMap<>();
        c.forEach((m, pts) -> {
            List<Object> l = new ArrayList<>();
            pts.forEach(p -> l.add(List.of(p[0], p[1])));
            out.put(m, l);
        });
        return out;
    }

    /** Writes {@code metrics.json} and {@code report.html}. */
    public static void write(Path outDir, Map<String, Object> metrics) {
        try {
            Json.writeFile(outDir.resolve(METRICS), metrics);
            Json.writeAtomically(outDir.resolve(REPORT), HtmlReport.forRun(metrics));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write the results into " + outDir + ": " + e.getMessage(), e);
        }
    }
}
