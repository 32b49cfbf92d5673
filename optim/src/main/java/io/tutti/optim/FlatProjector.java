package io.tutti.optim;

import io.tutti.nn.Parameter;
import io.tutti.tensor.DType;
import io.tutti.tensor.Tensor;
import org.ejml.data.DMatrixRMaj;
import org.ejml.dense.row.CommonOps_DDRM;
import org.ejml.dense.row.factory.DecompositionFactory_DDRM;
import org.ejml.interfaces.decomposition.EigenDecomposition_F64;

import java.util.Arrays;

/**
 * The soft "flat" projector of MIE/IGM (METHODS.md section 6.5) for one linear (or convolution)
 * layer: it damps a weight gradient along the input directions another modality uses heavily and
 * leaves the directions that modality does not use (its flat directions) free.
 *
 * <p>First accumulate an uncentred covariance Σ (in×in) of the layer's inputs from the other
 * modality's data, then {@link #compute} the projector:
 * <pre>
 * Σ = V diag(λ) Vᵀ                            (symmetric eigen decomposition; Σ is positive semi-definite,
 *                                               so this is the SVD the released code takes)
 * λ̃ = (λ − λ_min) / (λ_max − λ_min)
 * P = V diag(exp(−τ λ̃)) Vᵀ                     (τ = 0.4 by default)
 * </pre>
 * The most used direction is scaled by e^{−τ} (≈ 0.67), an unused one (λ = λ_min, typically 0) by
 * exactly 1. When every eigenvalue is equal no direction stands out and P = I (the released code
 * would divide by zero). {@link #project} applies G ← G P to a weight gradient G of shape [out, in].
 */
public final class FlatProjector {
    /** MIE/IGM's {@code temperature1}. */
    public static final double DEFAULT_TAU = 0.4;

    private final int dim;
    private final DMatrixRMaj covariance;
    private DMatrixRMaj projector;
    private long batches;

    public FlatProjector(int dim) {
        if (dim <= 0) {
            throw new IllegalArgumentException("FlatProjector: dimension must be positive, got " + dim);
        }
        this.dim = dim;
        this.covariance = new DMatrixRMaj(dim, dim);
    }

    public int dim() {
        return dim;
    }

    /** How many accumulate calls went into Σ. */
    public long batches() {
        return batches;
    }

    /**
     * Adds one batch of a linear layer's inputs, shape [..., in]: with r the mean over all leading
     * dimensions (1×in), Σ += rᵀ r (the released code's "covariance" of batch means).
     */
    public void accumulate(Tensor input) {
        if (input.dim() == 0 || input.shape(-1) != dim || input.numel() == 0) {
            throw new IllegalArgumentException("FlatProjector.accumulate: expects inputs of shape [..., " + dim + "], got "
                    + Arrays.toString(input.shape()));
        }
        double[] r = OwmProjector.meanRow("FlatProjector.accumulate", input.reshape(-1, dim), dim);
        DMatrixRMaj rt = new DMatrixRMaj(dim, 1, true, r);
        CommonOps_DDRM.multAddTransB(rt, rt, covariance);
        batches++;
    }

    /**
     * Adds rows U of shape [m, in] as Σ += Uᵀ U: for a convolution, U is the batch-mean input unfolded
     * into patches (#patches × C_in·k·k).
     */
    public void accumulateRows(Tensor rows) {
        if (rows.dim() != 2 || rows.shape(1) != dim) {
            throw new IllegalArgumentException("FlatProjector.accumulateRows: expects rows of shape [m, " + dim + "], got "
                    + Arrays.toString(rows.shape()));
        }
        DMatrixRMaj u = new DMatrixRMaj(rows.shape(0), dim, true, rows.to(DType.FLOAT64).toDoubleArray());
        CommonOps_DDRM.multAddTransA(u, u, covariance);
        batches++;
    }

    /** Σ as a float64 [in, in] tensor (a copy). */
    public Tensor covariance() {
        return Tensor.of(covariance.getData().clone(), dim, dim);
    }

    /** Computes P from the accumulated Σ with temperature {@link #DEFAULT_TAU}. */
    public Tensor compute() {
        return compute(DEFAULT_TAU);
    }

    /** Computes and keeps P = V diag(exp(−τ λ̃)) Vᵀ; returns it as a float64 tensor. */
    public Tensor compute(double tau) {
        if (!(tau >= 0) || Double.isInfinite(tau)) {
            throw new IllegalArgumentException("FlatProjector.compute: tau must be finite and non-negative, got " + tau);
        }
        EigenDecomposition_F64<DMatrixRMaj> eig = DecompositionFactory_DDRM.eig(dim, true, true);
        if (!eig.decompose(covariance.copy())) {
            throw new IllegalStateException("FlatProjector.compute: the eigen decomposition of the " + dim + "x" + dim
                    + " covariance failed (does it hold NaN or infinity?)");
        }
        double[] lambda = new double[dim];
        double min = Double.POSITIVE_INFINITY;
        double max = Double.NEGATIVE_INFINITY;
        for (int i = 0; i < dim; i++) {
            lambda[i] = eig.getEigenvalue(i).getReal();
            min = Math.min(min, lambda[i]);
            max = Math.max(max, lambda[i]);
        }
        double range = max - min;
        DMatrixRMaj p = new DMatrixRMaj(dim, dim);
        for (int i = 0; i < dim; i++) {
            double normalised = range > 0 ? (lambda[i] - min) / range : 0;
            DMatrixRMaj v = eig.getEigenVector(i);
            double length2 = CommonOps_DDRM.dot(v, v);   // unit already; divided out to be safe
            CommonOps_DDRM.multAddTransB(Math.exp(-tau * normalised) / length2, v, v, p);
        }
        projector = p;
        return matrix();
    }

    /** Whether {@link #compute} has been called (or a computed P loaded). */
    public boolean isComputed() {
        return projector != null;
    }

    /** P as a float64 [in, in] tensor (a copy). */
    public Tensor matrix() {
        requireComputed("matrix");
        return Tensor.of(projector.getData().clone(), dim, dim);
    }

    /** The modified gradient G P, for a weight gradient G of shape [out, in]. */
    public Tensor project(Tensor grad) {
        requireComputed("project");
        if (grad.dim() != 2 || grad.shape(1) != dim) {
            throw new IllegalArgumentException("FlatProjector.project: expects a gradient of shape [out, " + dim + "], got "
                    + Arrays.toString(grad.shape()));
        }
        return grad.matmul(matrix().to(grad.dtype()));
    }

    /** A gradient transform that modifies {@code weight}'s gradient with this projector. */
    public GradientTransform transformFor(Parameter weight) {
        return GradientTransform.perParameter((param, grad) -> param == weight ? project(grad) : null);
    }

    /** Σ, the batch count and (once computed) P, for checkpoints. */
    public StateDict stateDict() {
        StateDict sd = new StateDict().put("covariance", covariance()).putLong("batches", batches);
        if (projector != null) {
            sd.put("P", matrix());
        }
        return sd;
    }

    public void loadStateDict(StateDict sd) {
        Tensor c = checkSquare(sd.tensor("covariance"), "covariance");
        Tensor m = sd.hasTensor("P") ? checkSquare(sd.tensor("P"), "P") : null;
        long n = sd.getLong("batches");
        System.arraycopy(c.toDoubleArray(), 0, covariance.getData(), 0, dim * dim);
        projector = m == null ? null : new DMatrixRMaj(dim, dim, true, m.toDoubleArray());
        batches = n;
    }

    private Tensor checkSquare(Tensor t, String name) {
        if (!Arrays.equals(t.shape(), new int[] {dim, dim})) {
            throw new IllegalArgumentException("FlatProjector.loadStateDict: " + name + " has shape " + Arrays.toString(t.shape())
                    + ", expected [" + dim + ", " + dim + "]");
        }
        return t;
    }

    private void requireComputed(String op) {
        if (projector == null) {
            throw new IllegalStateException("FlatProjector." + op + ": call compute() after accumulating the inputs first");
        }
    }
}
