package io.tutti.multimodal;

/**
 * Where a training step sits: the phase, the epoch (counted over all phases, from 0), the epoch
 * within the phase, the batch within the epoch, how many batches an epoch has, and the global step
 * (counted over the whole run, from 0).
 */
public record StepInfo(Phase phase, int epoch, int epochInPhase, int batch, int batchesPerEpoch, long globalStep) {
}
