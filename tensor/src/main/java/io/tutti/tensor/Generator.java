package io.tutti.tensor;

/**
 * A seeded source of random tensors. It is counter-based ({@link Philox}): the generator's whole
 * state is its seed and the number of values drawn so far, every draw is a pure function of the two,
 * and so results are the same whatever the thread count or backend. Save {@link #offset()} in a
 * checkpoint and restore it with {@link #setOffset} to resume the same stream.
 */
public final class Generator {
    private final long seed;
    private long offset;

    public Generator(long seed) {
        this.seed = seed;
    }

    public long seed() {
        return seed;
    }

    /** How many values have been drawn: the position in the stream. */
    public long offset() {
        return offset;
    }

    public void setOffset(long offset) {
        if (offset < 0) {
            throw new IllegalArgumentException("generator: offset must be non-negative, got " + offset);
        }
        this.offset = offset;
    }

    private long take(long n) {
        long start = offset;
        offset += n;
        return start;
    }

    /** Uniform in [lo, hi). */
    public Tensor uniform(double lo, double hi, DType dtype, int... shape) {
        requireFloating("uniform", dtype);
        if (!(lo <= hi)) {
            throw new IllegalArgumentException("uniform: lo " + lo + " must not exceed hi " + hi);
        }
        Tensor t = Tensor.zeros(dtype, shape);
        t.backend().randomUniform(t, seed, take(t.numel()), lo, hi);
        return t;
    }

    /** float32 uniform in [0, 1) ({@code torch.rand}). */
    public Tensor rand(int... shape) {
        return uniform(0, 1, DType.FLOAT32, shape);
    }

    /** Normal with the given mean and standard deviation. */
    public Tensor normal(double mean, double std, DType dtype, int... shape) {
        requireFloating("normal", dtype);
        if (!(std >= 0)) {
            throw new IllegalArgumentException("normal: std must be non-negative, got " + std);
        }
        Tensor t = Tensor.zeros(dtype, shape);
        t.backend().randomNormal(t, seed, take(t.numel()), mean, std);
        return t;
    }

    /** float32 standard normal ({@code torch.randn}). */
    public Tensor randn(int... shape) {
        return normal(0, 1, DType.FLOAT32, shape);
    }

    /** 1 with probability {@code p}, else 0: dropout masks. */
    public Tensor bernoulli(double p, DType dtype, int... shape) {
        if (!(p >= 0 && p <= 1)) {
            throw new IllegalArgumentException("bernoulli: p must be in [0, 1], got " + p);
        }
        return uniform(0, 1, DType.FLOAT64, shape).lt(p).to(dtype);
    }

    /** Fills {@code t} with uniform values in [lo, hi) (weight initialisers). */
    public Tensor uniformInPlace(Tensor t, double lo, double hi) {
        return t.copyFrom(uniform(lo, hi, t.dtype(), t.shape()));
    }

    /** Fills {@code t} with normal values (weight initialisers). */
    public Tensor normalInPlace(Tensor t, double mean, double std) {
        return t.copyFrom(normal(mean, std, t.dtype(), t.shape()));
    }

    /** A uniform double in [0, 1). */
    public double nextDouble() {
        return Philox.uniform(seed, take(1));
    }

    /** A uniform int in [0, bound). */
    public int nextInt(int bound) {
        if (bound <= 0) {
            throw new IllegalArgumentException("nextInt: bound must be positive, got " + bound);
        }
        return (int) Math.min(bound - 1, (long) (nextDouble() * bound));
    }

    /** A random permutation of 0..n-1 (Fisher-Yates), as {@code torch.randperm}. */
    public int[] permutation(int n) {
        if (n < 0) {
            throw new IllegalArgumentException("permutation: n must be non-negative, got " + n);
        }
        int[] p = new int[n];
        for (int i = 0; i < n; i++) {
            p[i] = i;
        }
        for (int i = n - 1; i > 0; i--) {
            int j = nextInt(i + 1);
            int tmp = p[i];
            p[i] = p[j];
            p[j] = tmp;
        }
        return p;
    }

    private static void requireFloating(String op, DType dtype) {
        if (!dtype.isFloating()) {
            throw new IllegalArgumentException(op + ": needs a floating dtype, got " + dtype);
        }
    }
}
