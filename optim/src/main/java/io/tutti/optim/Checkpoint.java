package io.tutti.optim;

import io.tutti.nn.Module;
import io.tutti.tensor.Generator;
import io.tutti.tensor.Tensor;

import java.io.IOException;
import java.nio.file.Path;
import java.util.Map;

/**
 * Everything needed to resume training, in one safetensors file: the model's state dict, the
 * optimizer's and scheduler's state, the epoch, random generators, and any extra state (a
 * projector's matrix, the best accuracy so far).
 *
 * <p>Tensors are stored under {@code model.}, {@code optimizer.}, {@code scheduler.} and
 * {@code state.<name>.}; everything else goes into the header's {@code __metadata__} string map
 * ({@code epoch}, {@code rng.<name>.seed}, {@code rng.<name>.offset}, {@code extra.<key>}, and the
 * optimizer's hyperparameters). {@link #save} writes a temporary file and renames it over the
 * target, so a crash mid-save leaves the previous checkpoint intact.
 *
 * <pre>{@code
 * Checkpoint.capture(model, optimizer, scheduler, epoch).withGenerator("shuffle", shuffle).save(path);
 * ...
 * Checkpoint c = Checkpoint.load(path);
 * c.restore(model, optimizer, scheduler);
 * c.restoreGenerator("shuffle", shuffle);
 * int nextEpoch = c.epoch() + 1;
 * }</pre>
 *
 * Restoring into freshly built objects continues training bit for bit as if it had never stopped,
 * provided everything random draws from generators saved here.
 */
public final class Checkpoint {
    /** The value of the {@code format} metadata entry. */
    public static final String FORMAT = "tutti-checkpoint-1";

    private final StateDict state;

    private Checkpoint(StateDict state) {
        this.state = state;
    }

    /**
     * A snapshot (tensors are copied, so training may go on before saving) of the model, the
     * optimizer, the scheduler (may be null) and the epoch just finished.
     */
    public static Checkpoint capture(Module model, Optimizer optimizer, LRScheduler scheduler, int epoch) {
        if (model == null || optimizer == null) {
            throw new IllegalArgumentException("Checkpoint.capture: model and optimizer must not be null");
        }
        StateDict sd = new StateDict();
        sd.putString("format", FORMAT);
        sd.putLong("epoch", epoch);
        model.stateDict().forEach((k, v) -> sd.put("model." + k, v.copy()));
        sd.putAll(copyOf(optimizer.stateDict()).prefixed("optimizer."));
        if (scheduler != null) {
            sd.putAll(scheduler.stateDict().prefixed("scheduler."));
        }
        return new Checkpoint(sd);
    }

    /** Adds a generator's seed and position under {@code name}. */
    public Checkpoint withGenerator(String name, Generator generator) {
        checkName(name);
        state.putLong("rng." + name + ".seed", generator.seed());
        state.putLong("rng." + name + ".offset", generator.offset());
        return this;
    }

    /** Adds another component's state (a projector, a training method) under {@code name} (tensors are copied). */
    public Checkpoint withState(String name, StateDict component) {
        checkName(name);
        state.putAll(copyOf(component).prefixed("state." + name + "."));
        return this;
    }

    /** Adds a free-form string under {@code key} (numbers: use {@link Double#toString}). */
    public Checkpoint withMetadata(String key, String value) {
        checkName(key);
        state.putString("extra." + key, value);
        return this;
    }

    // ------------------------------------------------------------------ files

    /** Writes the checkpoint atomically. */
    public void save(Path file) throws IOException {
        state.save(file);
    }

    /** Reads a checkpoint written by {@link #save}. */
    public static Checkpoint load(Path file) throws IOException {
        StateDict sd = StateDict.load(file);
        if (!sd.hasMetadata("format") || !sd.getString("format").equals(FORMAT)) {
            throw new IllegalArgumentException("Checkpoint.load: " + file + " is not a Tutti checkpoint (format "
                    + (sd.hasMetadata("format") ? "'" + sd.getString("format") + "'" : "missing") + ", expected '" + FORMAT + "')");
        }
        return new Checkpoint(sd);
    }

    // ------------------------------------------------------------------ reading

    /** The epoch recorded at capture. */
    public int epoch() {
        return state.getInt("epoch");
    }

    /** The model's state dict by its own (PyTorch-style) keys. */
    public Map<String, Tensor> modelState() {
        return state.section("model.").tensors();
    }

    /** Loads model, optimizer and (if not null) scheduler state, in that order. */
    public void restore(Module model, Optimizer optimizer, LRScheduler scheduler) {
        restoreModel(model);
        restoreOptimizer(optimizer);
        if (scheduler != null) {
            restoreScheduler(scheduler);
        }
    }

    /** Loads the model state strictly (every key present, known and of the right shape). */
    public void restoreModel(Module model) {
        model.loadStateDict(modelState());
    }

    public void restoreOptimizer(Optimizer optimizer) {
        optimizer.loadStateDict(state.section("optimizer."));
    }

    public void restoreScheduler(LRScheduler scheduler) {
        StateDict s = state.section("scheduler.");
        if (s.isEmpty()) {
            throw new IllegalArgumentException("Checkpoint: no scheduler state was saved");
        }
        scheduler.loadStateDict(s);
    }

    /** A new generator at the saved seed and position. */
    public Generator generator(String name) {
        Generator g = new Generator(state.getLong(rngKey(name, "seed")));
        g.setOffset(state.getLong(rngKey(name, "offset")));
        return g;
    }

    /** Moves {@code target} (which must have the saved seed) to the saved position. */
    public void restoreGenerator(String name, Generator target) {
        long seed = state.getLong(rngKey(name, "seed"));
        if (target.seed() != seed) {
            throw new IllegalArgumentException("Checkpoint: generator '" + name + "' was saved with seed " + seed
                    + " but the target has seed " + target.seed() + "; use generator(name) for a new one");
        }
        target.setOffset(state.getLong(rngKey(name, "offset")));
    }

    /** The state added with {@link #withState}. */
    public StateDict state(String name) {
        StateDict s = state.section("state." + name + ".");
        if (s.isEmpty()) {
            throw new IllegalArgumentException("Checkpoint: no state named '" + name + "'");
        }
        return s;
    }

    /** The string added with {@link #withMetadata}, or null. */
    public String metadata(String key) {
        String k = "extra." + key;
        return state.hasMetadata(k) ? state.getString(k) : null;
    }

    /** Everything, as stored in the file. */
    public StateDict stateDict() {
        return state;
    }

    private String rngKey(String name, String field) {
        String k = "rng." + name + "." + field;
        if (!state.hasMetadata(k)) {
            throw new IllegalArgumentException("Checkpoint: no generator named '" + name + "' was saved");
        }
        return k;
    }

    private static StateDict copyOf(StateDict sd) {
        StateDict out = new StateDict();
        sd.tensors().forEach((k, v) -> out.put(k, v.copy()));
        sd.metadata().forEach(out::putString);
        return out;
    }

    private static void checkName(String name) {
        if (name == null || name.isEmpty()) {
            throw new IllegalArgumentException("Checkpoint: names must be non-empty");
        }
    }
}
