package io.tutti.multimodal.lora;

/** How LoRA's down-projection A is initialised (B always starts at zero, so the update starts at zero). */
public enum LoraInit {
    /**
     * Uniform in ±1/sqrt(fan_in), which is Kaiming-uniform with a = sqrt(5): what PyTorch's LoRA
     * (PEFT) and {@code nn.Linear} use.
     */
    KAIMING_UNIFORM,
    /** Normal with standard deviation 1/r (PEFT's "gaussian" option). */
    GAUSSIAN
}
