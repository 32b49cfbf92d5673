/**
 * Optimizers, learning-rate schedules, gradient clipping, sharpness-aware minimisation, gradient
 * projectors and training checkpoints.
 */
package io.tutti.optim;
