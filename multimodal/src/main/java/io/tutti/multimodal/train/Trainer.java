package io.tutti.multimodal.train;

import io.tutti.autograd.AnomalyException;
import io.tutti.autograd.Autograd;
import io.tutti.multimodal.EncoderFactory;
import io.tutti.multimodal.Method;
import io.tutti.multimodal.MethodContext;
import io.tutti.multimodal.MultimodalBatch;
import io.tutti.multimodal.MultimodalLoader;
import io.tutti.multimodal.Phase;
import io.tutti.multimodal.StepInfo;
import io.tutti.multimodal.StepStats;
import io.tutti.multimodal.TrainConfig;
import io.tutti.multimodal.data.MultimodalData;
import io.tutti.multimodal.data.Split;
import io.tutti.multimodal.eval.Evaluation;
import io.tutti.multimodal.eval.Evaluator;
import io.tutti.multimodal.report.Json;
import io.tutti.optim.Checkpoint;
import io.tutti.optim.StateDict;
import io.tutti.tensor.Generator;
import io.tutti.tensor.Tensor;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The shared trainer: runs a {@link Method} through its phases and epochs on the training split,
 * steps its schedules once per epoch, evaluates on the validation split after every epoch and keeps
 * the best state (never looking at the test split), restores each selecting phase's best state at
 * its end, and writes checkpoints from which training resumes exactly.
 *
 * <p>Determinism: the method's generator is {@code new Generator(seed)}, the training batches are
 * shuffled from a seed derived from it, and both positions are saved, so two runs with the same
 * seed give identical results and a resumed run continues bit for bit.
 *
 * <p>A NaN or infinite loss stops training: the trainer restores the state of the start of the
 * epoch, replays the epoch up to the failing step in autograd's anomaly mode to find the first op
 * that produced a non-finite value, and throws {@link TrainingDivergedException} naming the step,
 * the modality and the op.
 */
public final class Trainer {
    /** The file of the resumable state, written after every epoch. */
    public static final String LAST = "last.safetensors";
    /** The file of the final (selected) model and its training state. */
    public static final String CHECKPOINT = "checkpoint.safetensors";

    /** Settings of a training run besides the {@link TrainConfig}. */
    public static final class Options {
        Path outDir;
        Path resume;
        Progress progress = Progress.quiet();
        int stopAfterEpochs = -1;
        int evalBatchSize = 256;
        Map<String, String> metadata = new LinkedHashMap<>();

        /** Where {@link #LAST} and {@link #CHECKPOINT} go (null: write nothing). */
        public Options outDir(Path dir) {
            this.outDir = dir;
            return this;
        }

        /** Resume from a {@link #LAST} file. */
        public Options resume(Path file) {
            this.resume = file;
            return this;
        }

        public Options progress(Progress p) {
            this.progress = p;
            return this;
        }

        /** Stop (as if interrupted) once this many epochs in total are done; -1 runs to the end. */
        public Options stopAfterEpochs(int n) {
            this.stopAfterEpochs = n;
            return this;
        }

        public Options evalBatchSize(int n) {
            this.evalBatchSize = n;
            return this;
        }

        /** Extra strings stored in the checkpoints (data spec, split, ...), read back by {@code tutti eval}. */
        public Options metadata(String key, String value) {
            this.metadata.put(key, value);
            return this;
        }
    }

    /** The outcome: the trained method (in its selected state), its context, the history and the time spent training. */
    public record Result(Method method, MethodContext context, List<EpochRecord> history, double trainSeconds, boolean completed) {
    }

    private Trainer() {
    }

    /** Builds the method's context for {@code data} and trains it. */
    public static Result train(Method method, MultimodalData data, TrainConfig config, EncoderFactory encoders, Options options) {
        MultimodalData train = data.split(Split.TRAIN);
        MultimodalData val = data.split(Split.VALIDATION);
        if (train.size() == 0) {
            throw new IllegalArgumentException("train: the data '" + data.name() + "' has no training samples");
        }
        MultimodalLoader loader = new MultimodalLoader(train, config.batchSize(), true, config.seed() * 2654435761L + 17, false);
        Generator gen = new Generator(config.seed());
        MethodContext ctx = MethodContext.forData(data, train, config, encoders, gen, loader.numBatches());
        method.init(ctx);
        ctx.options().checkAllRead(method.name());
        return new Run(method, ctx, loader, val, config, options).run();
    }

    /** The state of one training run. */
    private static final class Run {
        final Method method;
        final MethodContext ctx;
        final MultimodalLoader loader;
        final MultimodalData val;
        final TrainConfig config;
        final Options opt;
        final List<EpochRecord> history = new ArrayList<>();
        double trainSeconds;
        int nextEpoch;
        double bestVal = Double.NEGATIVE_INFINITY;
        StateDict best;
        long globalStep;
        int completedPhases;

        Run(Method method, MethodContext ctx, MultimodalLoader loader, MultimodalData val, TrainConfig config, Options opt) {
            this.method = method;
            this.ctx = ctx;
            this.loader = loader;
            this.val = val;
            this.config = config;
            this.opt = opt;
        }

        Result run() {
            List<Phase> phases = method.phases(config.epochs());
            if (opt.resume != null) {
                resume(opt.resume, phases);
            }
            int phaseStart = 0;
            for (int pi = 0; pi < phases.size(); pi++) {
                Phase phase = phases.get(pi);
                int phaseEnd = phaseStart + phase.epochs();
                if (pi >= completedPhases) {
                    if (nextEpoch <= phaseStart) {
                        method.startPhase(phase);
                        bestVal = Double.NEGATIVE_INFINITY;
                        best = null;
                    }
                    for (int epoch = Math.max(nextEpoch, phaseStart); epoch < phaseEnd; epoch++) {
                        if (opt.stopAfterEpochs >= 0 && epoch >= opt.stopAfterEpochs) {
                            return new Result(method, ctx, history, trainSeconds, false);
                        }
                        runEpoch(phase, epoch, epoch - phaseStart);
                    }
                    finishPhase(phase);
                    completedPhases = pi + 1;
                    best = null;
                    if (opt.outDir != null) {
                        save(opt.outDir.resolve(LAST), true);
                    }
                }
                phaseStart = phaseEnd;
            }
            if (opt.outDir != null) {
                save(opt.outDir.resolve(CHECKPOINT), false);
            }
            return new Result(method, ctx, history, trainSeconds, true);
        }

        private void finishPhase(Phase phase) {
            if (phase.selectBest() && best != null) {
                restore(best);
                opt.progress.log(String.format(Locale.ROOT, "%s: restored the best validation state (accuracy %.4f)", phase.name(), bestVal));
            }
            method.endPhase(phase);
        }

        private void runEpoch(Phase phase, int epoch, int epochInPhase) {
            long start = System.nanoTime();
            StateDict atStart = snapshot();
            long stepAtStart = globalStep;
            opt.progress.startEpoch();
            Running running = new Running();
            Iterator<MultimodalBatch> it = loader.iterator(epoch);
            int b = 0;
            while (it.hasNext()) {
                MultimodalBatch batch = it.next();
                StepInfo info = new StepInfo(phase, epoch, epochInPhase, b, loader.numBatches(), globalStep);
                StepStats stats = method.trainStep(batch, info);
                checkFinite(stats, info, atStart, stepAtStart, phase, epochInPhase);
                running.add(stats, batch);
                globalStep++;
                b++;
                opt.progress.step(String.format(Locale.ROOT, "epoch %d/%d", epoch + 1, config.epochs()), b, loader.numBatches(),
                        running.loss(), running.accuracy(), running.modalityAccuracy());
            }
            method.endEpoch(epoch);
            double valAcc = Double.NaN;
            Map<String, Double> valModality = new LinkedHashMap<>();
            if (val.size() > 0) {
                Evaluation e = Evaluator.evaluate(method, val, opt.evalBatchSize);
                valAcc = e.accuracy();
                valModality.putAll(e.perModalityAccuracy());
                method.afterValidation(epoch, valAcc, valModality);
                if (valAcc > bestVal) {
                    bestVal = valAcc;
                    best = snapshot();
                }
            }
            double seconds = (System.nanoTime() - start) / 1e9;
            trainSeconds += seconds;
            EpochRecord r = new EpochRecord(phase.name(), epoch, running.loss(), running.accuracy(), running.modalityAccuracy(), valAcc,
                    valModality, seconds);
            history.add(r);
            nextEpoch = epoch + 1;
            opt.progress.endEpoch(describe(r));
            if (opt.outDir != null) {
                save(opt.outDir.resolve(LAST), true);
            }
        }

        private String describe(EpochRecord r) {
            StringBuilder sb = new StringBuilder(String.format(Locale.ROOT, "%s epoch %d/%d  loss %.4f  train acc %s", r.phase(),
                    r.epoch() + 1, config.epochs(), r.trainLoss(), accuracy(r.trainAccuracy())));
            r.trainModalityAccuracy().forEach((m, a) -> sb.append(String.format(Locale.ROOT, " %s %.3f", m, a)));
            sb.append(String.format(Locale.ROOT, "  val acc %.3f", r.valAccuracy()));
            r.valModalityAccuracy().forEach((m, a) -> sb.append(String.format(Locale.ROOT, " %s %.3f", m, a)));
            return sb.append(String.format(Locale.ROOT, "  (%.1fs)", r.seconds())).toString();
        }

        /** A method that trains on mixed inputs (MIE's mixup) has no training accuracy: "n/a", not "NaN". */
        private static String accuracy(double a) {
            return Double.isNaN(a) ? "n/a" : String.format(Locale.ROOT, "%.3f", a);
        }

        // ------------------------------------------------------------ non-finite losses

        private void checkFinite(StepStats stats, StepInfo info, StateDict atStart, long stepAtStart, Phase phase, int epochInPhase) {
            List<String> bad = new ArrayList<>();
            stats.modalityLosses().forEach((m, l) -> {
                if (!Double.isFinite(l)) {
                    bad.add(m);
                }
            });
            stats.modalityLogits().forEach((m, z) -> {
                if (!bad.contains(m) && !isFinite(z)) {
                    bad.add(m);
                }
            });
            if (Double.isFinite(stats.loss()) && bad.isEmpty()) {
                return;
            }
            String where = String.format(Locale.ROOT, "training diverged at step %d (epoch %d, batch %d of phase '%s'): loss is %s",
                    info.globalStep(), info.epoch() + 1, info.batch(), phase.name(), Double.toString(stats.loss()));
            where += bad.isEmpty() ? "; no single modality's output is non-finite" : "; non-finite in modality " + String.join(", ", bad);
            AnomalyException found = replayWithAnomalyMode(atStart, stepAtStart, phase, info, epochInPhase);
            if (found != null) {
                where += "; anomaly mode found the first non-finite value in op '" + found.op() + "': " + found.getMessage();
            } else {
                where += "; anomaly mode did not reproduce it";
            }
            throw new TrainingDivergedException(where + ". Try a smaller learning rate (--lr).", found);
        }

        @SuppressWarnings("try")
        private AnomalyException replayWithAnomalyMode(StateDict atStart, long stepAtStart, Phase phase, StepInfo failing, int epochInPhase) {
            restore(atStart);
            Iterator<MultimodalBatch> it = loader.iterator(failing.epoch());
            try (Autograd.Scope ignored = Autograd.detectAnomaly()) {
                for (int b = 0; b <= failing.batch() && it.hasNext(); b++) {
                    method.trainStep(it.next(), new StepInfo(phase, failing.epoch(), epochInPhase, b, loader.numBatches(), stepAtStart + b));
                }
            } catch (AnomalyException e) {
                return e;
            }
            return null;
        }

        private static boolean isFinite(Tensor t) {
            double s = t.abs().sum().item();
            return Double.isFinite(s);
        }

        // ------------------------------------------------------------ state

        /** Model, training state and generator position, copied. */
        private StateDict snapshot() {
            StateDict sd = new StateDict();
            method.model().stateDict().forEach((k, v) -> sd.put("model." + k, v.copy()));
            method.trainingState().tensors().forEach((k, v) -> sd.put("method." + k, v.copy()));
            method.trainingState().metadata().forEach((k, v) -> sd.putString("method." + k, v));
            sd.putLong("rng.offset", ctx.generator().offset());
            return sd;
        }

        private void restore(StateDict sd) {
            method.model().loadStateDict(sd.section("model.").tensors());
            method.loadTrainingState(sd.section("method."));
            ctx.generator().setOffset(sd.getLong("rng.offset"));
        }

        /** Writes a checkpoint in optim's {@link Checkpoint} format; with {@code resumable}, also the best state and history. */
        private void save(Path file, boolean resumable) {
            StateDict sd = new StateDict();
            sd.putString("format", Checkpoint.FORMAT);
            sd.putLong("epoch", nextEpoch - 1);
            method.model().stateDict().forEach((k, v) -> sd.put("model." + k, v));
            sd.putAll(method.trainingState().prefixed("state.method."));
            sd.putLong("rng.method.seed", ctx.generator().seed());
            sd.putLong("rng.method.offset", ctx.generator().offset());
            sd.putString("extra.method", method.name());
            sd.putString("extra.modalities", String.join(",", ctx.modalities()));
            config.describe().forEach((k, v) -> sd.putString("extra.config." + k, v));
            opt.metadata.forEach((k, v) -> sd.putString("extra." + k, v));
            sd.putDouble("extra.train_seconds", trainSeconds);
            sd.putLong("extra.global_step", globalStep);
            sd.putLong("extra.completed_phases", completedPhases);
            List<Object> h = new ArrayList<>();
            history.forEach(r -> h.add(r.toJson()));
            sd.putString("extra.history", Json.write(h));
            if (resumable && best != null) {
                sd.putDouble("extra.best_val", bestVal);
                sd.putAll(best.prefixed("state.best."));
            }
            try {
                Files.createDirectories(file.toAbsolutePath().getParent());
                sd.save(file);
            } catch (IOException e) {
                throw new UncheckedIOException("train: cannot write " + file + ": " + e.getMessage(), e);
            }
        }

        /**
         * Restores a {@link #LAST} file. The phases before the saved epoch are replayed first
         * ({@code startPhase}, and {@code endPhase} for finished ones) so that the method has the
         * structure the saved state belongs to; then model, training state and generator are loaded.
         */
        @SuppressWarnings("unchecked")
        private void resume(Path file, List<Phase> phases) {
            Checkpoint c;
            try {
                c = Checkpoint.load(file);
            } catch (IOException e) {
                throw new UncheckedIOException("resume: cannot read " + file + ": " + e.getMessage(), e);
            }
            String saved = c.metadata("method");
            if (!method.name().equals(saved)) {
                throw new IllegalArgumentException("resume: " + file + " was written by method '" + saved + "', not '" + method.name() + "'");
            }
            nextEpoch = c.epoch() + 1;
            completedPhases = Integer.parseInt(c.metadata("completed_phases"));
            int phaseStart = 0;
            for (int pi = 0; pi < phases.size(); pi++) {
                if (pi < completedPhases || nextEpoch > phaseStart) {
                    method.startPhase(phases.get(pi));
                }
                if (pi < completedPhases) {
                    method.endPhase(phases.get(pi));
                }
                phaseStart += phases.get(pi).epochs();
            }
            c.restoreModel(method.model());
            method.loadTrainingState(c.state("method"));
            c.restoreGenerator("method", ctx.generator());
            trainSeconds = Double.parseDouble(c.metadata("train_seconds"));
            globalStep = Long.parseLong(c.metadata("global_step"));
            for (Object o : (List<Object>) Json.parse(c.metadata("history"))) {
                history.add(EpochRecord.fromJson((Map<String, Object>) o));
            }
            if (c.metadata("best_val") != null) {
                bestVal = Double.parseDouble(c.metadata("best_val"));
                best = c.state("best");
            }
        }
    }

    /** Running training loss and accuracies over an epoch. */
    private static final class Running {
        double lossSum;
        int batches;
        int n;
        int correct;
        final Map<String, int[]> modality = new LinkedHashMap<>();

        void add(StepStats s, MultimodalBatch batch) {
            lossSum += s.loss();
            batches++;
            int[] y = batch.labels().toIntArray();
            if (s.fusedLogits() != null) {
                int[] p = s.fusedLogits().argmax(1, false).toIntArray();
                for (int i = 0; i < y.length; i++) {
                    correct += p[i] == y[i] ? 1 : 0;
                }
                n += y.length;
            }
            s.modalityLogits().forEach((m, z) -> {
                int[] p = z.argmax(1, false).toIntArray();
                int[] c = modality.computeIfAbsent(m, k -> new int[2]);
                for (int i = 0; i < y.length; i++) {
                    c[0] += p[i] == y[i] ? 1 : 0;
                }
                c[1] += y.length;
            });
        }

        double loss() {
            return batches == 0 ? Double.NaN : lossSum / batches;
        }

        double accuracy() {
            return n == 0 ? Double.NaN : (double) correct / n;
        }

        Map<String, Double> modalityAccuracy() {
            Map<String, Double> out = new LinkedHashMap<>();
            modality.forEach((m, c) -> out.put(m, c[1] == 0 ? Double.NaN : (double) c[0] / c[1]));
            return out;
        }
    }
}
