package io.tutti.multimodal.cli;

import io.tutti.multimodal.Method;
import io.tutti.multimodal.MethodContext;
import io.tutti.multimodal.Methods;
import io.tutti.multimodal.TrainConfig;
import io.tutti.multimodal.data.AvMnist;
import io.tutti.multimodal.data.DataDirectory;
import io.tutti.multimodal.data.FileData;
import io.tutti.multimodal.data.MultimodalData;
import io.tutti.multimodal.data.Split;
import io.tutti.multimodal.data.SyntheticData;
import io.tutti.multimodal.models.Encoders;
import io.tutti.multimodal.report.Json;
import io.tutti.multimodal.train.Comparison;
import io.tutti.multimodal.train.Experiment;
import io.tutti.multimodal.train.Progress;
import io.tutti.multimodal.train.Trainer;
import io.tutti.optim.Checkpoint;
import io.tutti.tensor.Backend;
import io.tutti.tensor.Backends;
import io.tutti.tensor.Generator;

import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The {@code tutti} command: {@code train}, {@code eval}, {@code compare}; without arguments, the
 * default comparison of {@link Methods#DEFAULT_COMPARISON} on the built-in synthetic data with a
 * strong and a weak modality.
 */
public final class Main {
    private static final String[] DATA_OPTIONS = {"data", "data-dir", "split", "data-seed"};
    private static final String[] TRAIN_OPTIONS = {"epochs", "seed", "out", "fusion", "optimizer", "lr", "momentum", "weight-decay",
            "scheduler", "batch-size", "feature-dim", "device"};

    private final PrintStream out;
    private final PrintStream err;

    Main(PrintStream out, PrintStream err) {
        this.out = out;
        this.err = err;
    }

    public static void main(String[] args) {
        System.exit(new Main(System.out, System.err).run(args));
    }

    /** Runs the command; returns the exit code (0 ok, 1 failure, 2 bad command line). */
    int run(String[] argv) {
        List<String> args = new ArrayList<>(Arrays.asList(argv));
        try {
            if (args.isEmpty()) {
                return defaultComparison();
            }
            String cmd = args.remove(0);
            boolean help = args.contains("--help") || args.contains("-h");
            switch (cmd) {
                case "train":
                    return help ? help(TRAIN_HELP) : train(args);
                case "eval":
                    return help ? help(EVAL_HELP) : eval(args);
                case "compare":
                    return help ? help(COMPARE_HELP) : compare(args);
                case "help", "--help", "-h":
                    return help(USAGE);
                default:
                    throw new Args.UsageException("unknown command '" + cmd + "'; commands: train, eval, compare (tutti --help)");
            }
        } catch (Args.UsageException | IllegalArgumentException e) {
            err.println("tutti: " + e.getMessage());
            return 2;
        } catch (RuntimeException e) {
            err.println("tutti: " + e.getMessage());
            return 1;
        }
    }

    private int help(String text) {
        out.print(text);
        return 0;
    }

    // ---------------------------------------------------------------- subcommands

    private int train(List<String> argv) {
        Args a = common(new Args("train")).valued("method", "resume").parse(argv);
        String method = a.get("method", "joint");
        Methods.create(method);
        Experiment.Setup setup = setup(a);
        Path outDir = Paths.get(a.get("out", "runs/" + method));
        Path resume = a.has("resume") ? Paths.get(a.get("resume", null)) : null;
        out.println("tutti train: " + method + " on " + setup.dataset() + " (" + setup.split() + "), " + setup.data() + "; output " + outDir);
        Map<String, Object> m = Experiment.run(method, setup, outDir, resume);
        printRun(m);
        out.println("wrote " + outDir.resolve(Experiment.METRICS) + ", " + outDir.resolve(Experiment.REPORT) + ", "
                + outDir.resolve(Trainer.CHECKPOINT));
        return 0;
    }

    private int compare(List<String> argv) {
        Args a = common(new Args("compare")).valued("methods", "seeds").flags("gap").parse(argv);
        List<String> methods = new ArrayList<>();
        for (String s : a.get("methods", String.join(",", Methods.DEFAULT_COMPARISON)).split(",")) {
            if (!s.isBlank()) {
                Methods.create(s.trim());
                methods.add(s.trim());
            }
        }
        int seeds = a.getInt("seeds", 3);
        if (seeds < 1) {
            throw new Args.UsageException("compare: --seeds must be at least 1, got " + seeds);
        }
        Experiment.Setup setup = setup(a);
        Path outDir = Paths.get(a.get("out", "runs/compare"));
        return runComparison(methods, seeds, setup, outDir, a.flag("gap"), a.getLong("seed", 0));
    }

    private int runComparison(List<String> methods, int seeds, Experiment.Setup setup, Path outDir, boolean gap, long firstSeed) {
        List<Long> seedList = new ArrayList<>();
        for (int i = 0; i < seeds; i++) {
            seedList.add(firstSeed + i);
        }
        out.println("tutti compare: " + methods + " x " + seeds + " seeds on " + setup.data() + ", " + setup.config().epochs()
                + " epochs; output " + outDir);
        long start = System.nanoTime();
        Map<String, Object> c = Comparison.run(methods, seedList, setup, outDir, gap, out);
        out.println();
        out.print(Comparison.markdown(c));
        out.println(String.format(Locale.ROOT, "%nwall time %.1f s; wrote %s, %s, %s", (System.nanoTime() - start) / 1e9,
                outDir.resolve(Comparison.JSON), outDir.resolve(Comparison.MARKDOWN), outDir.resolve(Comparison.HTML)));
        return 0;
    }

    private int defaultComparison() {
        Args a = common(new Args("compare")).parse(List.of());
        Experiment.Setup setup = setup(a);
        return runComparison(Methods.DEFAULT_COMPARISON, 3, setup, Paths.get("runs/default"), false, 0);
    }

    private int eval(List<String> argv) {
        Args a = new Args("eval").valued("checkpoint", "out", "data-dir", "device").flags("linear-probe", "quiet").parse(argv);
        if (!a.has("checkpoint")) {
            throw new Args.UsageException("eval: --checkpoint FILE is required (a " + Trainer.CHECKPOINT + " written by tutti train)");
        }
        Path file = Paths.get(a.get("checkpoint", null));
        Checkpoint c;
        try {
            c = Checkpoint.load(file);
        } catch (IOException e) {
            throw new UncheckedIOException("eval: cannot read " + file + ": " + e.getMessage(), e);
        }
        String methodName = require(c, "method", file);
        Map<String, String> cfg = new LinkedHashMap<>();
        c.stateDict().metadata().forEach((k, v) -> {
            if (k.startsWith("extra.config.")) {
                cfg.put(k.substring("extra.config.".length()), v);
            }
        });
        TrainConfig config = configFrom(cfg);
        String dataset = require(c, "dataset", file);
        String split = require(c, "split", file);
        List<String> dataArgs = new ArrayList<>(List.of("--data", dataset, "--split", split));
        if (a.has("data-dir")) {
            dataArgs.addAll(List.of("--data-dir", a.get("data-dir", null)));
        }
        if (c.metadata("data_seed") != null) {
            dataArgs.addAll(List.of("--data-seed", c.metadata("data_seed")));
        }
        Args da = new Args("eval").valued(DATA_OPTIONS).parse(dataArgs);
        MultimodalData data = loadData(da);
        selectDevice(a.get("device", "cpu"));
        Encoders encoders = new Encoders(config.encoders());
        Method method = Methods.create(methodName);
        MultimodalData train = data.split(Split.TRAIN);
        method.init(MethodContext.forData(data, train, config, encoders, new Generator(config.seed()), 0));
        c.restoreModel(method.model());
        Experiment.Setup setup = new Experiment.Setup(data, dataset, split, da.getLong("data-seed", 0), config, encoders,
                a.flag("linear-probe"), Progress.quiet());
        Map<String, Object> m = Experiment.evaluate(method, setup, Double.parseDouble(c.metadata("train_seconds")));
        out.println("tutti eval: " + methodName + " from " + file);
        printRun(m);
        if (a.has("out")) {
            Path outDir = Paths.get(a.get("out", null));
            Experiment.write(outDir, m);
            out.println("wrote " + outDir.resolve(Experiment.METRICS) + " and " + outDir.resolve(Experiment.REPORT));
        }
        return 0;
    }

    private static String require(Checkpoint c, String key, Path file) {
        String v = c.metadata(key);
        if (v == null) {
            throw new IllegalArgumentException("eval: " + file + " has no '" + key + "' entry; was it written by tutti train?");
        }
        return v;
    }

    // ---------------------------------------------------------------- shared option handling

    private static Args common(Args a) {
        return a.valued(DATA_OPTIONS).valued(TRAIN_OPTIONS).repeated("encoder", "opt").flags("linear-probe", "quiet");
    }

    private Experiment.Setup setup(Args a) {
        selectDevice(a.get("device", "cpu"));
        MultimodalData data = loadData(a);
        TrainConfig config = TrainConfig.defaults()
                .withEpochs(a.getInt("epochs", TrainConfig.defaults().epochs()))
                .withSeed(a.getLong("seed", 0))
                .withFusion(a.get("fusion", "concat"))
                .withOptimizer(a.get("optimizer", "sgd"))
                .withLr(a.getDouble("lr", TrainConfig.defaults().lr()))
                .withMomentum(a.getDouble("momentum", TrainConfig.defaults().momentum()))
                .withWeightDecay(a.getDouble("weight-decay", TrainConfig.defaults().weightDecay()))
                .withScheduler(a.get("scheduler", "step"))
                .withBatchSize(a.getInt("batch-size", TrainConfig.defaults().batchSize()))
                .withFeatureDim(a.getInt("feature-dim", TrainConfig.defaults().featureDim()))
                .withEncoders(pairs(a.list("encoder"), "--encoder"))
                .withOptions(pairs(a.list("opt"), "--opt"));
        Encoders encoders = new Encoders(config.encoders());
        encoders.checkModalities(data.modalityNames());
        String dataset = a.get("data", "synthetic");
        String split = dataset.equals("avmnist") ? a.get("split", "official") : a.get("split", "stored");
        Progress progress = a.flag("quiet") ? Progress.quiet() : Progress.auto(out);
        return new Experiment.Setup(data, dataset, split, a.getLong("data-seed", 0), config, encoders, a.flag("linear-probe"), progress);
    }

    private static Map<String, String> pairs(List<String> items, String option) {
        Map<String, String> m = new LinkedHashMap<>();
        for (String s : items) {
            int eq = s.indexOf('=');
            if (eq <= 0 || eq == s.length() - 1) {
                throw new Args.UsageException(option + ": expected NAME=VALUE, got '" + s + "'");
            }
            m.put(s.substring(0, eq).trim(), s.substring(eq + 1).trim());
        }
        return m;
    }

    static MultimodalData loadData(Args a) {
        String spec = a.get("data", "synthetic");
        long dataSeed = a.getLong("data-seed", 0);
        try {
            if (spec.equals("synthetic")) {
                return SyntheticData.generate(SyntheticData.Spec.strongAndWeak(), dataSeed);
            }
            if (spec.startsWith("synthetic:")) {
                return SyntheticData.generate(SyntheticData.Spec.parse(spec.substring("synthetic:".length())), dataSeed);
            }
            if (spec.equals("avmnist")) {
                Path explicit = a.has("data-dir") ? Paths.get(a.get("data-dir", null)) : null;
                Path dir = DataDirectory.find(explicit).orElseThrow(() -> new IllegalArgumentException(
                        "avmnist: data directory not found" + (explicit != null ? ": " + explicit : "")
                                + " (pass --data-dir DIR holding avmnist/avmnist.safetensors, or set $" + DataDirectory.ENV + ")"));
                return AvMnist.load(dir, AvMnist.Scheme.parse(a.get("split", "official")));
            }
            if (spec.startsWith("file:")) {
                return FileData.load(Paths.get(spec.substring("file:".length())), dataSeed);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e.getMessage(), e);
        }
        throw new Args.UsageException("unknown --data '" + spec + "'; use synthetic, synthetic:NAME:DIM:INFORMATIVENESS,..., avmnist or file:PATH");
    }

    private static TrainConfig configFrom(Map<String, String> cfg) {
        Map<String, String> enc = new LinkedHashMap<>();
        Map<String, String> opts = new LinkedHashMap<>();
        cfg.forEach((k, v) -> {
            if (k.startsWith("encoder.")) {
                enc.put(k.substring(8), v);
            } else if (k.startsWith("opt.")) {
                opts.put(k.substring(4), v);
            }
        });
        TrainConfig d = TrainConfig.defaults();
        return d.withOptimizer(cfg.getOrDefault("optimizer", d.optimizer()))
                .withLr(Double.parseDouble(cfg.getOrDefault("lr", Double.toString(d.lr()))))
                .withMomentum(Double.parseDouble(cfg.getOrDefault("momentum", Double.toString(d.momentum()))))
                .withWeightDecay(Double.parseDouble(cfg.getOrDefault("weight_decay", Double.toString(d.weightDecay()))))
                .withScheduler(cfg.getOrDefault("scheduler", d.scheduler()))
                .withBatchSize(Integer.parseInt(cfg.getOrDefault("batch_size", Integer.toString(d.batchSize()))))
                .withEpochs(Integer.parseInt(cfg.getOrDefault("epochs", Integer.toString(d.epochs()))))
                .withSeed(Long.parseLong(cfg.getOrDefault("seed", "0")))
                .withFusion(cfg.getOrDefault("fusion", d.fusion()))
                .withFeatureDim(Integer.parseInt(cfg.getOrDefault("feature_dim", Integer.toString(d.featureDim()))))
                .withEncoders(enc).withOptions(opts);
    }

    /**
     * Chooses the CPU backend ({@code cpu}: the default, {@code simd}, {@code reference}). Other
     * devices (OpenCL) are listed in the error: the multimodal trainer keeps models on the CPU.
     */
    private static void selectDevice(String name) {
        switch (name) {
            case "cpu":
                return;
            case "reference":
                Backends.use(Backends.reference());
                return;
            case "simd": {
                Backend simd = Backends.simd();
                if (simd == null) {
                    throw new IllegalArgumentException("--device simd: the Vector API is not available (start java with --add-modules jdk.incubator.vector)");
                }
                Backends.use(simd);
                return;
            }
            default: {
                List<String> names = new ArrayList<>(List.of("cpu", "simd", "reference"));
                Backends.devices().forEach(d -> {
                    if (!names.contains(d.name())) {
                        names.add(d.name());
                    }
                });
                throw new IllegalArgumentException("--device " + name + ": the multimodal trainer runs on CPU backends (cpu, simd, reference); "
                        + "devices seen: " + names);
            }
        }
    }

    @SuppressWarnings("unchecked")
    private void printRun(Map<String, Object> m) {
        Map<String, Object> test = (Map<String, Object>) m.get("test");
        Map<String, Object> val = (Map<String, Object>) m.get("val");
        out.println(String.format(Locale.ROOT, "test accuracy %.4f  macro-F1 %.4f  mAP %.4f  (val accuracy %s)  %.1f s",
                ((Number) test.get("accuracy")).doubleValue(), ((Number) test.get("macro_f1")).doubleValue(),
                ((Number) test.get("map")).doubleValue(), val.get("accuracy"), ((Number) m.get("train_seconds")).doubleValue()));
        out.println("per-modality test accuracy (" + test.get("probe") + "): " + Json.write(test.get("per_modality_accuracy")).trim());
    }

    // ---------------------------------------------------------------- help texts

    private static final String COMMON_HELP = """
              --data SPEC          synthetic (default: 10 classes, 'strong' 0.9 and 'weak' 0.5 modalities),
                                   synthetic:NAME:DIM:INFORMATIVENESS,... , avmnist, or file:PATH (one safetensors file)
              --data-dir DIR       where avmnist/avmnist.safetensors is (default: $TUTTI_DATA_DIR or ../shared/data)
              --split S            avmnist: official (seen speakers; default) or speaker (held-out speakers)
              --data-seed N        seed of the synthetic data / of a file's stratified split (default 0)
              --epochs N           epochs (default 30)          --seed S          model seed (default 0)
              --fusion F           concat (default), sum, film, gated (joint, ogm-ge)
              --optimizer O        sgd (default, momentum 0.9), adam, adamw
              --lr X               learning rate (default 0.01)  --momentum X  (0.9)  --weight-decay X (1e-4)
              --scheduler S        step (x0.1 at 70%% of the epochs; default), step:S:G, cosine, none
              --batch-size N       (default 64)                 --feature-dim N   encoder output width (default 64)
              --encoder M=KIND     per modality: mlp[:HIDDEN], cnn[:WIDTH], resnet18[:WIDTH], transformer[:LAYERS[:WIDTH]]
                                   (default by shape: vectors mlp, [C,H,W] cnn, [T,D] transformer)
              --opt KEY=VALUE      a method option (see the README), e.g. --opt alpha=0.5 for ogm-ge
              --linear-probe       also report linear-probe accuracy of every frozen encoder
              --device D           cpu (default), simd, reference
              --quiet              no progress output
            """;

    static final String USAGE = """
            usage: tutti [train|eval|compare] [options]    (tutti COMMAND --help for the options)
              tutti                 compare the default methods on the built-in synthetic data (3 seeds)
              tutti train           train one method, write metrics.json, report.html and the checkpoint
              tutti eval            evaluate a checkpoint written by train
              tutti compare         run several methods for several seeds; mean and std table
            methods: %s
            """.formatted(String.join(", ", Methods.names()));

    static final String TRAIN_HELP = """
            usage: tutti train --method NAME [options]
              --method NAME        %s (default joint)
              --out DIR            output directory (default runs/METHOD)
              --resume FILE        continue from DIR/last.safetensors of an interrupted run (same options)
            """.formatted(String.join(", ", Methods.names())) + COMMON_HELP;

    static final String EVAL_HELP = """
            usage: tutti eval --checkpoint FILE [--out DIR] [--data-dir DIR] [--linear-probe]
              Rebuilds the method, data and split recorded in FILE (checkpoint.safetensors of tutti train),
              evaluates on validation and test, prints the metrics, and with --out writes metrics.json and report.html.
            """;

    static final String COMPARE_HELP = """
            usage: tutti compare --methods a,b,c --seeds N [options]
              --methods LIST       comma-separated, from: %s (default %s)
              --seeds N            seeds 0..N-1 (or from --seed) (default 3)
              --out DIR            output directory (default runs/compare): comparison.json, comparison.md, comparison.html,
                                   and one run directory per method and seed
              --gap                imbalance gap also without the ensemble among the methods (trains it as the reference)
            """.formatted(String.join(", ", Methods.names()), String.join(",", Methods.DEFAULT_COMPARISON)) + COMMON_HELP;
}
