package io.tutti.opencl;

import io.tutti.tensor.BinaryOp;
import io.tutti.tensor.ReduceOp;
import io.tutti.tensor.UnaryOp;

/**
 * The integer codes the kernels switch on ({@code U_*} and {@code B_*} in {@code elementwise.cl},
 * {@code R_*} in {@code reduce.cl}). Written out by name rather than taken from {@code ordinal()},
 * so that reordering an enum cannot silently change what a kernel computes.
 */
final class OpCodes {
    private OpCodes() {
    }

    static int of(UnaryOp op) {
        switch (op) {
            case NEG: return 0;
            case EXP: return 1;
            case LOG: return 2;
            case SQRT: return 3;
            case RSQRT: return 4;
            case RECIPROCAL: return 5;
            case SQUARE: return 6;
            case ABS: return 7;
            case SIGN: return 8;
            case TANH: return 9;
            case SIGMOID: return 10;
            case RELU: return 11;
            case GELU: return 12;
            case GELU_TANH: return 13;
            case SILU: return 14;
            case GELU_GRAD: return 15;
            case GELU_TANH_GRAD: return 16;
            case SILU_GRAD: return 17;
            default: throw new IllegalArgumentException("opencl: no kernel for unary op " + op);
        }
    }

    static int of(BinaryOp op) {
        switch (op) {
            case ADD: return 0;
            case SUB: return 1;
            case MUL: return 2;
            case DIV: return 3;
            case POW: return 4;
            case MAXIMUM: return 5;
            case MINIMUM: return 6;
            case EQ: return 7;
            case NE: return 8;
            case LT: return 9;
            case LE: return 10;
            case GT: return 11;
            case GE: return 12;
            default: throw new IllegalArgumentException("opencl: no kernel for binary op " + op);
        }
    }

    static int of(ReduceOp op) {
        switch (op) {
            case SUM: return 0;
            case PROD: return 1;
            case MAX: return 2;
            case MIN: return 3;
            default: throw new IllegalArgumentException("opencl: no kernel for reduction " + op);
        }
    }
}
