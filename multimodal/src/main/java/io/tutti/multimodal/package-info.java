/**
 * The public API of Tutti's multimodal layer: {@link io.tutti.multimodal.MultimodalBatch} (inputs,
 * presence masks and labels of a batch), {@link io.tutti.multimodal.Method} (one class per training
 * method, driven by the shared trainer), {@link io.tutti.multimodal.MethodContext} (what a method
 * builds itself from), {@link io.tutti.multimodal.Prediction} (fused and per-modality logits),
 * {@link io.tutti.multimodal.Phase}, {@link io.tutti.multimodal.StepInfo},
 * {@link io.tutti.multimodal.StepStats}, {@link io.tutti.multimodal.TrainConfig},
 * {@link io.tutti.multimodal.MethodOptions}, {@link io.tutti.multimodal.Encoder} /
 * {@link io.tutti.multimodal.EncoderFactory}, and the {@link io.tutti.multimodal.Methods} registry.
 *
 * <p>Implementations live in sub-packages: {@code data} (data sets), {@code models} (encoders,
 * fusion, heads), {@code methods} (the methods), {@code train} (the trainer), {@code eval}
 * (metrics and evaluation), {@code report} (JSON, HTML/SVG), {@code cli} (the {@code tutti} command).
 */
package io.tutti.multimodal;
