package io.tutti.tensor.simd;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorSpecies;

/**
 * The float32 select kernel over one row, {@code o[i] = c[i] != 0 ? a[i] : b[i]}, with each input
 * contiguous (stride 1) or broadcast (stride 0), as in {@link VectorBinary}. A NaN condition counts
 * as true, since NaN != 0.
 */
final class VectorWhere {
    private static final VectorSpecies<Float> S = FloatVector.SPECIES_PREFERRED;
    private static final int L = S.length();

    private VectorWhere() {
    }

    static void apply(float[] c, int co, int cs, float[] a, int ao, int as, float[] b, int bo, int bs, float[] o, int oo, int n) {
        int i = 0;
        for (int end = S.loopBound(n); i < end; i += L) {
            FloatVector cond = VectorBinary.load(c, co, cs, i);
            FloatVector va = VectorBinary.load(a, ao, as, i);
            VectorBinary.load(b, bo, bs, i).blend(va, cond.compare(VectorOperators.NE, 0f)).intoArray(o, oo + i);
        }
        for (; i < n; i++) {
            o[oo + i] = c[co + i * cs] != 0f ? a[ao + i * as] : b[bo + i * bs];
        }
    }
}
