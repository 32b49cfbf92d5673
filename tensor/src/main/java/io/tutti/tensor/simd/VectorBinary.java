package io.tutti.tensor.simd;

import io.tutti.tensor.BinaryOp;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorSpecies;

/**
 * Float32 binary kernels over one row: {@code o[oo + i] = op(a[ao + i * as], b[bo + i * bs])} where
 * each input stride is 1 (a contiguous row) or 0 (one value broadcast along the row) and the output
 * is contiguous. One small loop method per op keeps the vector operations inlined; the stride test
 * inside {@link #load} is loop-invariant, so the JIT hoists it. The output may be the same row as an
 * input (in place): every element is read before it is written.
 */
final class VectorBinary {
    private static final VectorSpecies<Float> S = FloatVector.SPECIES_PREFERRED;
    private static final int L = S.length();
    private static final FloatVector ZERO = FloatVector.zero(S);

    private VectorBinary() {
    }

    static void apply(BinaryOp op, float[] a, int ao, int as, float[] b, int bo, int bs, float[] o, int oo, int n) {
        switch (op) {
            case ADD: add(a, ao, as, b, bo, bs, o, oo, n); break;
            case SUB: sub(a, ao, as, b, bo, bs, o, oo, n); break;
            case MUL: mul(a, ao, as, b, bo, bs, o, oo, n); break;
            case DIV: div(a, ao, as, b, bo, bs, o, oo, n); break;
            case POW: pow(a, ao, as, b, bo, bs, o, oo, n); break;
            case MAXIMUM: maximum(a, ao, as, b, bo, bs, o, oo, n); break;
            case MINIMUM: minimum(a, ao, as, b, bo, bs, o, oo, n); break;
            case EQ: eq(a, ao, as, b, bo, bs, o, oo, n); break;
            case NE: ne(a, ao, as, b, bo, bs, o, oo, n); break;
            case LT: lt(a, ao, as, b, bo, bs, o, oo, n); break;
            case LE: le(a, ao, as, b, bo, bs, o, oo, n); break;
            case GT: gt(a, ao, as, b, bo, bs, o, oo, n); break;
            case GE: ge(a, ao, as, b, bo, bs, o, oo, n); break;
            default: throw new AssertionError(op);
        }
    }

    /** A row's vector at element {@code i}: loaded, or the broadcast value when the stride is 0. */
    static FloatVector load(float[] x, int offset, int stride, int i) {
        return stride == 0 ? FloatVector.broadcast(S, x[offset]) : FloatVector.fromArray(S, x, offset + i);
    }

    private static void add(float[] xa, int ao, int as, float[] xb, int bo, int bs, float[] o, int oo, int n) {
        int i = 0;
        for (int end = S.loopBound(n); i < end; i += L) {
            FloatVector a = load(xa, ao, as, i);
            FloatVector b = load(xb, bo, bs, i);
            a.add(b).intoArray(o, oo + i);
        }
        for (; i < n; i++) {
            float a = xa[ao + i * as];
            float b = xb[bo + i * bs];
            o[oo + i] = a + b;
        }
    }

    private static void sub(float[] xa, int ao, int as, float[] xb, int bo, int bs, float[] o, int oo, int n) {
        int i = 0;
        for (int end = S.loopBound(n); i < end; i += L) {
            FloatVector a = load(xa, ao, as, i);
            FloatVector b = load(xb, bo, bs, i);
            a.sub(b).intoArray(o, oo + i);
        }
        for (; i < n; i++) {
            float a = xa[ao + i * as];
            float b = xb[bo + i * bs];
            o[oo + i] = a - b;
        }
    }

    private static void mul(float[] xa, int ao, int as, float[] xb, int bo, int bs, float[] o, int oo, int n) {
        int i = 0;
        for (int end = S.loopBound(n); i < end; i += L) {
            FloatVector a = load(xa, ao, as, i);
            FloatVector b = load(xb, bo, bs, i);
            a.mul(b).intoArray(o, oo + i);
        }
        for (; i < n; i++) {
            float a = xa[ao + i * as];
            float b = xb[bo + i * bs];
            o[oo + i] = a * b;
        }
    }

    private static void div(float[] xa, int ao, int as, float[] xb, int bo, int bs, float[] o, int oo, int n) {
        int i = 0;
        for (int end = S.loopBound(n); i < end; i += L) {
            FloatVector a = load(xa, ao, as, i);
            FloatVector b = load(xb, bo, bs, i);
            a.div(b).intoArray(o, oo + i);
        }
        for (; i < n; i++) {
            float a = xa[ao + i * as];
            float b = xb[bo + i * bs];
            o[oo + i] = a / b;
        }
    }

    private static void pow(float[] xa, int ao, int as, float[] xb, int bo, int bs, float[] o, int oo, int n) {
        int i = 0;
        for (int end = S.loopBound(n); i < end; i += L) {
            FloatVector a = load(xa, ao, as, i);
            FloatVector b = load(xb, bo, bs, i);
            a.lanewise(VectorOperators.POW, b).intoArray(o, oo + i);
        }
        for (; i < n; i++) {
            float a = xa[ao + i * as];
            float b = xb[bo + i * bs];
            o[oo + i] = (float) Math.pow(a, b);
        }
    }

    private static void maximum(float[] xa, int ao, int as, float[] xb, int bo, int bs, float[] o, int oo, int n) {
        int i = 0;
        for (int end = S.loopBound(n); i < end; i += L) {
            FloatVector a = load(xa, ao, as, i);
            FloatVector b = load(xb, bo, bs, i);
            a.max(b).intoArray(o, oo + i);
        }
        for (; i < n; i++) {
            float a = xa[ao + i * as];
            float b = xb[bo + i * bs];
            o[oo + i] = Math.max(a, b);
        }
    }

    private static void minimum(float[] xa, int ao, int as, float[] xb, int bo, int bs, float[] o, int oo, int n) {
        int i = 0;
        for (int end = S.loopBound(n); i < end; i += L) {
            FloatVector a = load(xa, ao, as, i);
            FloatVector b = load(xb, bo, bs, i);
            a.min(b).intoArray(o, oo + i);
        }
        for (; i < n; i++) {
            float a = xa[ao + i * as];
            float b = xb[bo + i * bs];
            o[oo + i] = Math.min(a, b);
        }
    }

    private static void eq(float[] xa, int ao, int as, float[] xb, int bo, int bs, float[] o, int oo, int n) {
        int i = 0;
        for (int end = S.loopBound(n); i < end; i += L) {
            FloatVector a = load(xa, ao, as, i);
            FloatVector b = load(xb, bo, bs, i);
            ZERO.blend(1f, a.compare(VectorOperators.EQ, b)).intoArray(o, oo + i);
        }
        for (; i < n; i++) {
            float a = xa[ao + i * as];
            float b = xb[bo + i * bs];
            o[oo + i] = a == b ? 1f : 0f;
        }
    }

    private static void ne(float[] xa, int ao, int as, float[] xb, int bo, int bs, float[] o, int oo, int n) {
        int i = 0;
        for (int end = S.loopBound(n); i < end; i += L) {
            FloatVector a = load(xa, ao, as, i);
            FloatVector b = load(xb, bo, bs, i);
            ZERO.blend(1f, a.compare(VectorOperators.NE, b)).intoArray(o, oo + i);
        }
        for (; i < n; i++) {
            float a = xa[ao + i * as];
            float b = xb[bo + i * bs];
            o[oo + i] = a != b ? 1f : 0f;
        }
    }

    private static void lt(float[] xa, int ao, int as, float[] xb, int bo, int bs, float[] o, int oo, int n) {
        int i = 0;
        for (int end = S.loopBound(n); i < end; i += L) {
            FloatVector a = load(xa, ao, as, i);
            FloatVector b = load(xb, bo, bs, i);
            ZERO.blend(1f, a.compare(VectorOperators.LT, b)).intoArray(o, oo + i);
        }
        for (; i < n; i++) {
            float a = xa[ao + i * as];
            float b = xb[bo + i * bs];
            o[oo + i] = a < b ? 1f : 0f;
        }
    }

    private static void le(float[] xa, int ao, int as, float[] xb, int bo, int bs, float[] o, int oo, int n) {
        int i = 0;
        for (int end = S.loopBound(n); i < end; i += L) {
            FloatVector a = load(xa, ao, as, i);
            FloatVector b = load(xb, bo, bs, i);
            ZERO.blend(1f, a.compare(VectorOperators.LE, b)).intoArray(o, oo + i);
        }
        for (; i < n; i++) {
            float a = xa[ao + i * as];
            float b = xb[bo + i * bs];
            o[oo + i] = a <= b ? 1f : 0f;
        }
    }

    private static void gt(float[] xa, int ao, int as, float[] xb, int bo, int bs, float[] o, int oo, int n) {
        int i = 0;
        for (int end = S.loopBound(n); i < end; i += L) {
            FloatVector a = load(xa, ao, as, i);
            FloatVector b = load(xb, bo, bs, i);
            ZERO.blend(1f, a.compare(VectorOperators.GT, b)).intoArray(o, oo + i);
        }
        for (; i < n; i++) {
            float a = xa[ao + i * as];
            float b = xb[bo + i * bs];
            o[oo + i] = a > b ? 1f : 0f;
        }
    }

    private static void ge(float[] xa, int ao, int as, float[] xb, int bo, int bs, float[] o, int oo, int n) {
        int i = 0;
        for (int end = S.loopBound(n); i < end; i += L) {
            FloatVector a = load(xa, ao, as, i);
            FloatVector b = load(xb, bo, bs, i);
            ZERO.blend(1f, a.compare(VectorOperators.GE, b)).intoArray(o, oo + i);
        }
        for (; i < n; i++) {
            float a = xa[ao + i * as];
            float b = xb[bo + i * bs];
            o[oo + i] = a >= b ? 1f : 0f;
        }
    }
}
