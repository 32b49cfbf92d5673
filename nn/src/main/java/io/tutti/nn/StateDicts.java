package io.tutti.nn;

import io.tutti.tensor.Safetensors;
import io.tutti.tensor.Tensor;

import java.io.IOException;
import java.nio.file.Path;
import java.util.Map;
import java.util.Objects;

/**
 * Saves and loads a module's {@link Module#stateDict() state dict} as a safetensors file, the format
 * PyTorch and Hugging Face share. Keys are the dotted names PyTorch uses, so a file written here
 * loads into the same architecture in PyTorch ({@code model.load_state_dict(safetensors.torch.load_file(f))})
 * and the other way round. Saves are atomic (a temporary file renamed over the target).
 *
 * <p>dtypes: float32/float64 parameters are written as {@code F32}/{@code F64}, and int32 buffers
 * ({@code num_batches_tracked}) as {@code I32}, which PyTorch's {@code load_state_dict} casts to its
 * int64 buffer. Reading converts {@code F16}, {@code BF16} and the integer types to the module's
 * dtypes ({@code I64} counters to int32).
 */
public final class StateDicts {
    private StateDicts() {
    }

    /** Writes {@code module}'s state dict to {@code file}, with no metadata. */
    public static void save(Module module, Path file) throws IOException {
        save(module, file, Map.of());
    }

    /** Writes {@code module}'s state dict and string {@code metadata} (the safetensors {@code __metadata__}) to {@code file}. */
    public static void save(Module module, Path file, Map<String, String> metadata) throws IOException {
        Objects.requireNonNull(module, "module");
        Safetensors.save(file, module.stateDict(), metadata);
    }

    /** Loads {@code file} into {@code module} strictly (every key present, none unknown, shapes equal); returns the file's metadata. */
    public static Map<String, String> load(Module module, Path file) throws IOException {
        return load(module, file, true);
    }

    /**
     * Loads {@code file} into {@code module}; without {@code strict}, missing and unexpected keys are
     * skipped (shapes must still match). Returns the file's metadata.
     */
    public static Map<String, String> load(Module module, Path file, boolean strict) throws IOException {
        Objects.requireNonNull(module, "module");
        Map<String, Tensor> tensors = Safetensors.load(file);
        module.loadStateDict(tensors, strict);
        return Safetensors.metadata(file);
    }
}
