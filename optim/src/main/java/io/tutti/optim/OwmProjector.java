package io.tutti.optim;

import io.tutti.nn.Parameter;
import io.tutti.tensor.DType;
import io.tutti.tensor.Tensor;
import org.ejml.data.DMatrixRMaj;
import org.ejml.dense.row.CommonOps_DDRM;
import org.ejml.dense.row.NormOps_DDRM;

import java.util.Arrays;

/**
 * The orthogonal weight modification (OWM) projector of MLA (METHODS.md section 4.3), after Zeng et
 * al. (2019): a d×d matrix P that, applied to a linear layer's weight gradient, removes the
 * directions of the input features seen so far, so that learning from one modality does not undo
 * what the shared head learned from another.
 *
 * <p>P starts as the identity. Each {@link #update} with a feature r (1×d, the batch mean) is one
 * step of recursive least squares:
 * <pre>
 * k = P rᵀ            (d×1)
 * P = P − k kᵀ / (α + r k)
 * P = P / ‖P‖_F        (optional; the released code does it)
 * </pre>
 * As α → 0, P rᵀ → 0: a gradient projected with {@link #project} (G Pᵀ) then changes W in no
 * direction that would change W rᵀ, the output for the stored feature. MLA's α decays within each
 * epoch, {@link #mlaAlpha}.
 *
 * <p>{@link Mode#REPLACE} (the official code, the default) sets G to G Pᵀ; {@link Mode#ADD}
 * (BalanceMM) to G + G Pᵀ. P is kept in float64 (EJML) and cast to the gradient's dtype when applied.
 * Register it on an optimizer with {@code optimizer.addGradientTransform(projector.transformFor(head.weight))}.
 */
public final class OwmProjector {
    /** How a projected gradient is combined with the original. */
    public enum Mode {
        /** G ← G Pᵀ (official MLA code). */
        REPLACE,
        /** G ← G + G Pᵀ (BalanceMM's MLA). */
        ADD
    }

    private final int dim;
    private final boolean frobeniusNormalize;
    private final Mode mode;
    private final DMatrixRMaj p;
    private long updates;

    /** A d-dimensional projector with the released code's settings: Frobenius normalisation, replace. */
    public OwmProjector(int dim) {
        this(dim, true, Mode.REPLACE);
    }

    public OwmProjector(int dim, boolean frobeniusNormalize, Mode mode) {
        if (dim <= 0) {
            throw new IllegalArgumentException("OwmProjector: dimension must be positive, got " + dim);
        }
        if (mode == null) {
            throw new IllegalArgumentException("OwmProjector: mode must not be null");
        }
        this.dim = dim;
        this.frobeniusNormalize = frobeniusNormalize;
        this.mode = mode;
        this.p = CommonOps_DDRM.identity(dim);
    }

    /** MLA's α for batch {@code i} of {@code n} in an epoch: 0.1^(1 + i/n), from 0.1 down to about 0.01. */
    public static double mlaAlpha(int batchIndex, int batchesPerEpoch) {
        if (batchesPerEpoch <= 0 || batchIndex < 0) {
            throw new IllegalArgumentException("OwmProjector.mlaAlpha: need 0 <= batch index and a positive batch count, got "
                    + batchIndex + " of " + batchesPerEpoch);
        }
        return Math.pow(0.1, 1 + (double) batchIndex / batchesPerEpoch);
    }

    public int dim() {
        return dim;
    }

    public Mode mode() {
        return mode;
    }

    /** How many updates P has had since it was the identity. */
    public long updates() {
        return updates;
    }

    /**
     * Updates P with features {@code features}: shape [d] or [1, d] is r itself; [n, d] is a batch,
     * whose row mean is used (MLA's r). The features are read, never kept.
     *
     * @param alpha the regulariser α (> 0; smaller removes the direction more completely)
     */
    public void update(Tensor features, double alpha) {
        if (!(alpha >= 0) || Double.isInfinite(alpha)) {
            throw new IllegalArgumentException("OwmProjector.update: alpha must be finite and non-negative, got " + alpha);
        }
        double[] r = meanRow("OwmProjector.update", features, dim);
        DMatrixRMaj rt = new DMatrixRMaj(dim, 1, true, r);
        DMatrixRMaj k = new DMatrixRMaj(dim, 1);
        CommonOps_DDRM.mult(p, rt, k);
        double rk = CommonOps_DDRM.dot(rt, k);
        double denominator = alpha + rk;
        if (denominator > 0) {   // 0 only when r lies in P's null space, and then k = 0 too
            CommonOps_DDRM.multAddTransB(-1.0 / denominator, k, k, p);
        }
        if (frobeniusNormalize) {
            double norm = NormOps_DDRM.normF(p);
            if (norm > 0) {
                CommonOps_DDRM.divide(p, norm);
            }
        }
        updates++;
    }

    /** The projected gradient: G Pᵀ ({@link Mode#REPLACE}) or G + G Pᵀ ({@link Mode#ADD}); G is [out, d]. */
    public Tensor project(Tensor grad) {
        if (grad.dim() != 2 || grad.shape(1) != dim) {
            throw new IllegalArgumentException("OwmProjector.project: expects a gradient of shape [out, " + dim + "], got "
                    + Arrays.toString(grad.shape()));
        }
        Tensor projected = grad.matmul(matrix().to(grad.dtype()).t());
        return mode == Mode.REPLACE ? projected : grad.add(projected);
    }

    /** A gradient transform that projects {@code weight}'s gradient (the bias is not projected in MLA). */
    public GradientTransform transformFor(Parameter weight) {
        return GradientTransform.perParameter((param, grad) -> param == weight ? project(grad) : null);
    }

    /** P as a float64 [d, d] tensor (a copy). */
    public Tensor matrix() {
        return Tensor.of(p.getData().clone(), dim, dim);
    }

    /** Back to the identity. */
    public void reset() {
        CommonOps_DDRM.setIdentity(p);
        updates = 0;
    }

    /** P and the update count, for checkpoints. */
    public StateDict stateDict() {
        return new StateDict().put("P", matrix()).putLong("updates", updates);
    }

    public void loadStateDict(StateDict sd) {
        Tensor m = sd.tensor("P");
        if (!Arrays.equals(m.shape(), new int[] {dim, dim})) {
            throw new IllegalArgumentException("OwmProjector.loadStateDict: P has shape " + Arrays.toString(m.shape())
                    + ", expected [" + dim + ", " + dim + "]");
        }
        long n = sd.getLong("updates");
        System.arraycopy(m.toDoubleArray(), 0, p.getData(), 0, dim * dim);
        updates = n;
    }

    /** The mean over rows of a [d], [1, d] or [n, d] tensor, in double. */
    static double[] meanRow(String op, Tensor features, int dim) {
        if (features.dim() == 0 || features.dim() > 2 || features.shape(-1) != dim || features.numel() == 0) {
            throw new IllegalArgumentException(op + ": expects features of shape [" + dim + "] or [n, " + dim + "], got "
                    + Arrays.toString(features.shape()));
        }
        Tensor mean = features.dim() == 1 ? features : features.to(DType.FLOAT64).mean(0, false);
        return mean.toDoubleArray();
    }
}
