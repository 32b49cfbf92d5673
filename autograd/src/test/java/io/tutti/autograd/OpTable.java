package io.tutti.autograd;

import io.tutti.autograd.OpInfo.Sample;
import io.tutti.autograd.functions.AdaptiveAvgPool2dFn;
import io.tutti.autograd.functions.AvgPool1dFn;
import io.tutti.autograd.functions.AvgPool2dFn;
import io.tutti.autograd.functions.BatchNormFn;
import io.tutti.autograd.functions.Conv1dFn;
import io.tutti.autograd.functions.Conv2dFn;
import io.tutti.autograd.functions.CrossEntropyFn;
import io.tutti.autograd.functions.DropoutFn;
import io.tutti.autograd.functions.EmbeddingFn;
import io.tutti.autograd.functions.LayerNormFn;
import io.tutti.autograd.functions.LinearFn;
import io.tutti.autograd.functions.MaxPool1dFn;
import io.tutti.autograd.functions.MaxPool2dFn;
import io.tutti.tensor.Convolution;
import io.tutti.tensor.DType;
import io.tutti.tensor.Generator;
import io.tutti.tensor.NnFunctions;
import io.tutti.tensor.Normalization;
import io.tutti.tensor.Pooling;
import io.tutti.tensor.Tensor;

import java.util.ArrayList;
import java.util.List;
import java.util.function.BinaryOperator;
import java.util.function.UnaryOperator;

/**
 * The op table: every differentiable op of {@link Variable}, with sample inputs and the
 * {@link Tensor} op it must match. {@link OpTableTest} drives every row through forward-vs-Tensor,
 * GradCheck in float64, non-contiguous variants of every sample, and every CPU backend. Adding an
 * op means adding its Function class and a row here.
 */
final class OpTable {
    private OpTable() {
    }

    /** Makes one input of the given shape. */
    @FunctionalInterface
    interface Gen {
        Tensor make(Samples m, int... shape);
    }

    static final Gen RANDN = Samples::randn;
    static final Gen POSITIVE = Samples::positive;
    private static final Tensor SAMPLE_WEIGHT = Tensor.of(new float[] {1f, 0f, 2f, 0.5f}, 4);

    static List<OpInfo> rows() {
        List<OpInfo> t = new ArrayList<>();

        // ---- elementwise, two inputs: same shape, broadcasting both ways, a 0-d operand
        t.add(binary("add", RANDN, RANDN, Variable::add, Tensor::add));
        t.add(binary("sub", RANDN, RANDN, Variable::sub, Tensor::sub));
        t.add(binary("mul", RANDN, RANDN, Variable::mul, Tensor::mul));
        t.add(binary("div", RANDN, POSITIVE, Variable::div, Tensor::div));
        t.add(binary("pow", POSITIVE, RANDN, Variable::pow, Tensor::pow));
        t.add(binary("maximum", RANDN, RANDN, Variable::maximum, Tensor::maximum));
        t.add(binary("minimum", RANDN, RANDN, Variable::minimum, Tensor::minimum));
        t.add(unary("add:scalar", RANDN, x -> x.add(2.5), x -> x.add(2.5)));
        t.add(unary("sub:scalar", RANDN, x -> x.sub(0.5), x -> x.sub(0.5)));
        t.add(unary("mul:scalar", RANDN, x -> x.mul(-3), x -> x.mul(-3)));
        t.add(unary("div:scalar", RANDN, x -> x.div(4), x -> x.div(4)));
        t.add(unary("pow:cube", RANDN, x -> x.pow(3), x -> x.pow(3)));
        t.add(unary("pow:square", RANDN, x -> x.pow(2), x -> x.pow(2)));
        t.add(unary("pow:root", POSITIVE, x -> x.pow(0.5), x -> x.pow(0.5)));
        t.add(OpInfo.of("where", m -> List.of(
                        Sample.of("same shape", m.mask(2, 3), m.randn(2, 3), m.randn(2, 3)),
                        Sample.of("broadcast", m.mask(2, 1), m.randn(3), m.randn(2, 3))),
                in -> Variable.where(in.get(0).data(), in.get(1), in.get(2)),
                in -> Tensor.where(in.get(0), in.get(1), in.get(2))));
        t.add(OpInfo.of("maskedFill", m -> List.of(
                        Sample.of("same shape", m.randn(2, 3), m.mask(2, 3)),
                        Sample.of("broadcast mask", m.randn(2, 3), m.mask(3))),
                in -> in.get(0).maskedFill(in.get(1).data(), -1.5),
                in -> in.get(0).maskedFill(in.get(1), -1.5)));

        // ---- elementwise, one input
        t.add(unary("neg", RANDN, Variable::neg, Tensor::neg));
        t.add(unary("exp", RANDN, Variable::exp, Tensor::exp));
        t.add(unary("log", POSITIVE, Variable::log, Tensor::log));
        t.add(unary("sqrt", POSITIVE, Variable::sqrt, Tensor::sqrt));
        t.add(unary("rsqrt", POSITIVE, Variable::rsqrt, Tensor::rsqrt));
        t.add(unary("reciprocal", POSITIVE, Variable::reciprocal, Tensor::reciprocal));
        t.add(unary("square", RANDN, Variable::square, Tensor::square));
        t.add(unary("abs", RANDN, Variable::abs, Tensor::abs));
        t.add(unary("tanh", RANDN, Variable::tanh, Tensor::tanh));
        t.add(unary("sigmoid", RANDN, Variable::sigmoid, Tensor::sigmoid));
        t.add(unary("relu", RANDN, Variable::relu, Tensor::relu));
        t.add(unary("gelu", RANDN, Variable::gelu, Tensor::gelu));
        t.add(unary("geluTanh", RANDN, Variable::geluTanh, Tensor::geluTanh));
        t.add(unary("silu", RANDN, Variable::silu, Tensor::silu));
        t.add(unary("clamp", RANDN, x -> x.clamp(-0.5, 0.7), x -> x.clamp(-0.5, 0.7)));
        t.add(unary("clamp:below", RANDN, x -> x.clamp(0.1, Double.POSITIVE_INFINITY),
                x -> x.clamp(0.1, Double.POSITIVE_INFINITY)));

        // ---- reductions
        int[] d02 = {0, 2};
        t.add(reduction("sum", RANDN, Variable::sum, Tensor::sum));
        t.add(reduction3("sum:dims", RANDN, x -> x.sum(d02, false), x -> x.sum(d02, false)));
        t.add(reduction3("sum:keepDim", RANDN, x -> x.sum(1, true), x -> x.sum(1, true)));
        t.add(reduction("mean", RANDN, Variable::mean, Tensor::mean));
        t.add(reduction3("mean:dims", RANDN, x -> x.mean(d02, true), x -> x.mean(d02, true)));
        t.add(reduction("max", RANDN, Variable::max, Tensor::max));
        t.add(reduction3("max:dim", RANDN, x -> x.max(1, false), x -> x.max(1, false)));
        t.add(reduction("min", RANDN, Variable::min, Tensor::min));
        t.add(reduction3("min:dims", RANDN, x -> x.min(d02, true), x -> x.min(d02, true)));
        t.add(reduction3("prod", POSITIVE, x -> x.prod(new int[] {1}, false), x -> x.prod(new int[] {1}, false)));
        t.add(OpInfo.of("prod:zeros", m -> List.of(
                        Sample.of("one zero", m.values(new double[] {1.5, 0, -2, 0.5, 3, 1}, 2, 3)),
                        Sample.of("two zeros in a row", m.values(new double[] {0, 0, 2, 1.5, -1, 2}, 2, 3))),
                in -> in.get(0).prod(new int[] {1}, true), in -> in.get(0).prod(new int[] {1}, true)));
        t.add(reduction3("var", RANDN, x -> x.var(new int[] {1}, 1, false), x -> x.var(new int[] {1}, 1, false)));
        t.add(reduction3("var:all", RANDN, x -> x.var(null, 0, true), x -> x.var(null, 0, true)));
        t.add(reduction3("std", RANDN, x -> x.std(d02, 1, false), x -> x.std(d02, 1, false)));
        t.add(reduction3("logsumexp", RANDN, x -> x.logsumexp(new int[] {1}, false), x -> x.logsumexp(new int[] {1}, false)));
        t.add(reduction("norm", RANDN, Variable::norm, Tensor::norm));
        for (double p : new double[] {1, 3, Double.POSITIVE_INFINITY, Double.NEGATIVE_INFINITY, 0}) {
            t.add(reduction3("norm:p=" + p, RANDN, x -> x.norm(p, new int[] {1}, true), x -> x.norm(p, new int[] {1}, true)));
        }

        // ---- linear algebra and nn
        t.add(OpInfo.of("matmul", m -> List.of(
                        Sample.of("matrix matrix", m.randn(2, 3), m.randn(3, 4)),
                        Sample.of("vector matrix", m.randn(3), m.randn(3, 4)),
                        Sample.of("matrix vector", m.randn(2, 3), m.randn(3)),
                        Sample.of("vector vector", m.randn(3), m.randn(3)),
                        Sample.of("batch matrix", m.randn(2, 2, 3), m.randn(3, 2)),
                        Sample.of("permuted batch matrix", m.randn(3, 2, 4).transpose(0, 1), m.randn(4, 2)),
                        Sample.of("batch times a transposed matrix", m.randn(2, 2, 3), m.randn(4, 3).t()),
                        Sample.of("matrix times a transposed matrix", m.randn(2, 3), m.randn(4, 3).t()),
                        Sample.of("batch times a batch of transposed matrices", m.randn(2, 2, 3), m.randn(2, 4, 3).mT()),
                        Sample.of("broadcast batch times transposed matrices", m.randn(2, 3), m.randn(2, 4, 3).mT()),
                        Sample.of("broadcast batches", m.randn(2, 1, 2, 3), m.randn(3, 3, 2)),
                        Sample.of("batch vector", m.randn(2, 2, 3), m.randn(3))),
                in -> in.get(0).matmul(in.get(1)), in -> in.get(0).matmul(in.get(1))));
        t.add(OpInfo.of("linearFn", m -> List.of(
                        Sample.of("batch of rows", m.randn(2, 3, 4), m.randn(5, 4), m.randn(5)),
                        Sample.of("one vector", m.randn(4), m.randn(5, 4), m.randn(5)),
                        Sample.of("transposed weight view", m.randn(3, 4), m.randn(4, 5).t(), m.randn(5))),
                in -> LinearFn.linear(in.get(0), in.get(1), in.get(2)),
                in -> in.get(0).matmul(in.get(1).t()).add(in.get(2))));
        t.add(OpInfo.of("linearFn:no bias", m -> List.of(Sample.of("batch of rows", m.randn(2, 3, 4), m.randn(5, 4))),
                in -> LinearFn.linear(in.get(0), in.get(1), null),
                in -> in.get(0).matmul(in.get(1).t())));
        // Weights as the losses make them: sample 1 ignored (weight 0), the mean over the weights' sum.
        t.add(OpInfo.of("crossEntropyFn", m -> List.of(Sample.of("four samples, five classes", m.randn(4, 5), m.index(5, 4))),
                in -> CrossEntropyFn.crossEntropy(in.get(0), in.get(1).data(), SAMPLE_WEIGHT, SAMPLE_WEIGHT.sum()),
                in -> in.get(0).logSoftmax(1).gather(1, in.get(1).unsqueeze(1)).reshape(4).mul(SAMPLE_WEIGHT.to(in.get(0).dtype()))
                        .sum().neg().div(SAMPLE_WEIGHT.sum().to(in.get(0).dtype()))));
        t.add(unary3("softmax", RANDN, x -> x.softmax(1), x -> x.softmax(1)));
        t.add(unary3("logSoftmax", RANDN, x -> x.logSoftmax(-1), x -> x.logSoftmax(-1)));

        // ---- nn kernels: the Functions behind io.tutti.nn's layers, checked against the tensor module's kernels
        int[] one = {1};
        t.add(OpInfo.of("conv2dFn", m -> List.of(
                        Sample.of("groups 2, stride 2, padding 1, bias", m.randn(2, 4, 5, 5), m.randn(6, 2, 3, 3), m.randn(6))),
                in -> Conv2dFn.conv2d(in.get(0), in.get(1), in.get(2), new int[] {2}, one, one, 2),
                in -> Convolution.conv2d(in.get(0), in.get(1), in.get(2), new int[] {2}, one, one, 2)));
        t.add(OpInfo.of("conv2dFn:dilated, no bias", m -> List.of(
                        Sample.of("rectangular kernel", m.randn(1, 2, 6, 5), m.randn(3, 2, 2, 3))),
                in -> Conv2dFn.conv2d(in.get(0), in.get(1), null, new int[] {1, 2}, new int[] {0, 1}, new int[] {2, 1}, 1),
                in -> Convolution.conv2d(in.get(0), in.get(1), null, new int[] {1, 2}, new int[] {0, 1}, new int[] {2, 1}, 1)));
        t.add(OpInfo.of("conv1dFn", m -> List.of(
                        Sample.of("groups 2, stride 2, padding 1, bias", m.randn(2, 4, 7), m.randn(6, 2, 3), m.randn(6))),
                in -> Conv1dFn.conv1d(in.get(0), in.get(1), in.get(2), 2, 1, 1, 2),
                in -> Convolution.conv1d(in.get(0), in.get(1), in.get(2), 2, 1, 1, 2)));
        t.add(OpInfo.of("conv1dFn:dilated, no bias", m -> List.of(Sample.of("[1,3,8]", m.randn(1, 3, 8), m.randn(2, 3, 3))),
                in -> Conv1dFn.conv1d(in.get(0), in.get(1), null, 1, 0, 2, 1),
                in -> Convolution.conv1d(in.get(0), in.get(1), null, 1, 0, 2, 1)));
        t.add(OpInfo.of("maxPool2dFn", m -> List.of(Sample.of("[2,3,5,5]", m.randn(2, 3, 5, 5)), Sample.of("[3,4,4]", m.randn(3, 4, 4))),
                in -> new MaxPool2dFn(new int[] {3}, new int[] {2}, one, one, false).apply(in.get(0)),
                in -> Pooling.maxPool2d(in.get(0), new int[] {3}, new int[] {2}, one, one, false).values()));
        t.add(OpInfo.of("maxPool2dFn:ceil, dilated", m -> List.of(Sample.of("[1,2,6,7]", m.randn(1, 2, 6, 7))),
                in -> new MaxPool2dFn(new int[] {2}, null, new int[] {0}, new int[] {2, 1}, true).apply(in.get(0)),
                in -> Pooling.maxPool2d(in.get(0), new int[] {2}, null, new int[] {0}, new int[] {2, 1}, true).values()));
        t.add(OpInfo.of("maxPool1dFn", m -> List.of(Sample.of("[2,3,7]", m.randn(2, 3, 7))),
                in -> new MaxPool1dFn(3, 2, 1, 1, true).apply(in.get(0)),
                in -> Pooling.maxPool1d(in.get(0), 3, 2, 1, 1, true).values()));
        t.add(OpInfo.of("avgPool2dFn", m -> List.of(Sample.of("[2,3,5,5]", m.randn(2, 3, 5, 5))),
                in -> new AvgPool2dFn(new int[] {3}, new int[] {2}, one, false, true).apply(in.get(0)),
                in -> Pooling.avgPool2d(in.get(0), new int[] {3}, new int[] {2}, one, false, true)));
        t.add(OpInfo.of("avgPool2dFn:ceil, padding not counted", m -> List.of(Sample.of("[2,6,5]", m.randn(2, 6, 5))),
                in -> new AvgPool2dFn(new int[] {2, 3}, new int[] {2}, one, true, false).apply(in.get(0)),
                in -> Pooling.avgPool2d(in.get(0), new int[] {2, 3}, new int[] {2}, one, true, false)));
        t.add(OpInfo.of("avgPool1dFn", m -> List.of(Sample.of("[2,3,8]", m.randn(2, 3, 8))),
                in -> new AvgPool1dFn(3, 2, 1, true, false).apply(in.get(0)),
                in -> Pooling.avgPool1d(in.get(0), 3, 2, 1, true, false)));
        t.add(OpInfo.of("adaptiveAvgPool2dFn", m -> List.of(Sample.of("[2,3,5,7]", m.randn(2, 3, 5, 7))),
                in -> new AdaptiveAvgPool2dFn(3, 2).apply(in.get(0)),
                in -> Pooling.adaptiveAvgPool2d(in.get(0), 3, 2)));
        t.add(OpInfo.of("batchNormFn", m -> List.of(
                        Sample.of("[4,3,2,2] affine", m.randn(4, 3, 2, 2), m.randn(3), m.randn(3)),
                        Sample.of("[5,3] affine", m.randn(5, 3), m.randn(3), m.randn(3))),
                in -> BatchNormFn.training(1e-5).apply(in.get(0), in.get(1), in.get(2)),
                in -> {
                    Normalization.Moments s = Normalization.batchNormStats(in.get(0));
                    return Normalization.batchNorm(in.get(0), s.mean(), s.variance(), in.get(1), in.get(2), 1e-5);
                }));
        t.add(OpInfo.of("batchNormFn:no affine", m -> List.of(Sample.of("[3,2,5]", m.randn(3, 2, 5))),
                in -> BatchNormFn.training(1e-3).apply(in.get(0)),
                in -> {
                    Normalization.Moments s = Normalization.batchNormStats(in.get(0));
                    return Normalization.batchNorm(in.get(0), s.mean(), s.variance(), null, null, 1e-3);
                }));
        t.add(OpInfo.of("batchNormFn:evaluation", m -> List.of(
                        Sample.of("[2,3,4] with running statistics", m.randn(2, 3, 4), m.randn(3), m.randn(3))),
                in -> BatchNormFn.evaluation(runningMean(in.get(0).dtype()), runningVar(in.get(0).dtype()), 1e-5)
                        .apply(in.get(0), in.get(1), in.get(2)),
                in -> Normalization.batchNorm(in.get(0), runningMean(in.get(0).dtype()), runningVar(in.get(0).dtype()), in.get(1),
                        in.get(2), 1e-5)));
        t.add(OpInfo.of("layerNormFn", m -> List.of(Sample.of("[2,3,4] over [4]", m.randn(2, 3, 4), m.randn(4), m.randn(4))),
                in -> new LayerNormFn(new int[] {4}, 1e-5).apply(in.get(0), in.get(1), in.get(2)),
                in -> Normalization.layerNorm(in.get(0), new int[] {4}, in.get(1), in.get(2), 1e-5)));
        t.add(OpInfo.of("layerNormFn:two dims, no affine", m -> List.of(Sample.of("[2,3,4] over [3,4]", m.randn(2, 3, 4))),
                in -> new LayerNormFn(new int[] {3, 4}, 1e-5).apply(in.get(0)),
                in -> Normalization.layerNorm(in.get(0), new int[] {3, 4}, null, null, 1e-5)));
        t.add(OpInfo.of("embeddingFn", m -> List.of(Sample.of("[5,3] weight, [2,4] indices", m.randn(5, 3), m.index(5, 2, 4))),
                in -> new EmbeddingFn().apply(in.get(0), in.get(1)),
                in -> NnFunctions.embedding(in.get(0), in.get(1))));
        t.add(OpInfo.of("dropoutFn", m -> List.of(Sample.of("[3,4]", m.randn(3, 4))),
                in -> new DropoutFn().apply(in.get(0), new Variable(dropoutMask(in.get(0).data()))),
                in -> in.get(0).mul(dropoutMask(in.get(0)))));

        // ---- shapes and views
        t.add(unary3("reshape", RANDN, x -> x.reshape(4, -1), x -> x.reshape(4, -1)));
        t.add(unary3("reshape:view", RANDN, x -> x.view(2, 1, 3, 4), x -> x.view(2, 1, 3, 4)));
        t.add(unary3("reshape:flatten", RANDN, x -> x.flatten(1, 2), x -> x.flatten(1, 2)));
        t.add(unary3("reshape:unsqueeze", RANDN, x -> x.unsqueeze(-1), x -> x.unsqueeze(-1)));
        t.add(OpInfo.of("reshape:squeeze", m -> List.of(Sample.of("[2,1,3]", m.randn(2, 1, 3))),
                in -> in.get(0).squeeze(), in -> in.get(0).squeeze()));
        t.add(unary3("permute", RANDN, x -> x.permute(2, 0, 1), x -> x.permute(2, 0, 1)));
        t.add(unary3("permute:transpose", RANDN, x -> x.transpose(0, 2), x -> x.transpose(0, 2)));
        t.add(unary3("permute:mT", RANDN, Variable::mT, Tensor::mT));
        t.add(unary("permute:t", RANDN, Variable::t, Tensor::t));
        t.add(OpInfo.of("expand", m -> List.of(
                        Sample.of("[3,1] to [2,3,4]", m.randn(3, 1)),
                        Sample.of("0-d to [2,3]", m.randn())),
                in -> in.get(0).dim() == 0 ? in.get(0).expand(2, 3) : in.get(0).expand(2, 3, 4),
                in -> in.get(0).dim() == 0 ? in.get(0).expand(2, 3) : in.get(0).expand(2, 3, 4)));
        t.add(unary3("slice", RANDN, x -> x.slice(2, 0, 4, 2), x -> x.slice(2, 0, 4, 2)));
        t.add(unary3("slice:narrow", RANDN, x -> x.narrow(1, 1, 2), x -> x.narrow(1, 1, 2)));
        t.add(unary3("slice:select", RANDN, x -> x.select(1, -1), x -> x.select(1, -1)));
        t.add(unary3("slice:split", RANDN, x -> x.split(3, 2).get(1), x -> x.split(3, 2).get(1)));
        t.add(unary3("slice:chunk", RANDN, x -> x.chunk(2, 1).get(1), x -> x.chunk(2, 1).get(1)));
        t.add(OpInfo.of("cat", m -> List.of(Sample.of("three parts", m.randn(2, 1), m.randn(2, 3), m.randn(2, 2))),
                in -> Variable.cat(-1, in), in -> Tensor.cat(-1, in)));
        t.add(OpInfo.of("cat:dim0", m -> List.of(Sample.of("two parts", m.randn(1, 2), m.randn(3, 2))),
                in -> Variable.cat(0, in), in -> Tensor.cat(0, in)));
        t.add(OpInfo.of("cat:stack", m -> List.of(Sample.of("two", m.randn(2, 3), m.randn(2, 3))),
                in -> Variable.stack(1, in), in -> Tensor.stack(1, in)));
        t.add(unary3("pad", RANDN, x -> x.pad(new int[] {1, 2}, 0.5), x -> x.pad(new int[] {1, 2}, 0.5)));
        t.add(unary3("pad:crop", RANDN, x -> x.pad(new int[] {-1, 1, 0, 2}, 0), x -> x.pad(new int[] {-1, 1, 0, 2}, 0)));
        t.add(OpInfo.of("gather", m -> List.of(Sample.of("dim 1", m.randn(2, 3), m.index(3, 2, 4))),
                in -> in.get(0).gather(1, in.get(1).data()), in -> in.get(0).gather(1, in.get(1))));
        t.add(OpInfo.of("indexSelect", m -> List.of(
                        Sample.of("repeated indices", m.randn(3, 2), Tensor.of(new int[] {2, 0, 2, 1}, 4))),
                in -> in.get(0).indexSelect(0, in.get(1).data()), in -> in.get(0).indexSelect(0, in.get(1))));
        t.add(unary3("clone", RANDN, Variable::copy, Tensor::copy));
        t.add(unary3("clone:contiguous", RANDN, x -> x.permute(1, 0, 2).contiguous(), x -> x.permute(1, 0, 2).contiguous()));
        // A float32 round trip rounds to about 1e-7, so the difference step must be far larger than that.
        t.add(unary3("toDType", RANDN, x -> x.to(other(x.dtype())).to(x.dtype()), x -> x.to(other(x.dtype())).to(x.dtype()))
                .withGradCheck(1e-2, 1e-3, 1e-3));
        return t;
    }

    private static Tensor runningMean(DType dtype) {
        return Tensor.of(new double[] {0.5, -1, 0.25}, 3).to(dtype);
    }

    private static Tensor runningVar(DType dtype) {
        return Tensor.of(new double[] {0.8, 2, 1.5}, 3).to(dtype);
    }

    /** The same mask for every call on a shape: a constant of the op, not an input. */
    private static Tensor dropoutMask(Tensor like) {
        return NnFunctions.dropoutMask(new Generator(11), 0.4, like.dtype(), like.shape());
    }

    private static DType other(DType d) {
        return d == DType.FLOAT64 ? DType.FLOAT32 : DType.FLOAT64;
    }

    static OpInfo binary(String name, Gen a, Gen b, BinaryOperator<Variable> op, BinaryOperator<Tensor> ref) {
        return OpInfo.of(name, m -> List.of(
                        Sample.of("same shape", a.make(m, 2, 3), b.make(m, 2, 3)),
                        Sample.of("broadcast [2,3] with [3]", a.make(m, 2, 3), b.make(m, 3)),
                        Sample.of("broadcast [3] with [2,3]", a.make(m, 3), b.make(m, 2, 3)),
                        Sample.of("broadcast [2,1] with [1,3]", a.make(m, 2, 1), b.make(m, 1, 3)),
                        Sample.of("0-d second operand", a.make(m, 2, 3), b.make(m))),
                in -> op.apply(in.get(0), in.get(1)), in -> ref.apply(in.get(0), in.get(1)));
    }

    /** An op of one input, sampled at shapes [2, 3] and [] (0-d). */
    static OpInfo unary(String name, Gen gen, UnaryOperator<Variable> op, UnaryOperator<Tensor> ref) {
        return OpInfo.of(name, m -> List.of(Sample.of("[2,3]", gen.make(m, 2, 3)), Sample.of("0-d", gen.make(m))),
                in -> op.apply(in.get(0)), in -> ref.apply(in.get(0)));
    }

    /** An op of one input that needs rank 3, sampled at [2, 3, 4]. */
    static OpInfo unary3(String name, Gen gen, UnaryOperator<Variable> op, UnaryOperator<Tensor> ref) {
        return OpInfo.of(name, m -> List.of(Sample.of("[2,3,4]", gen.make(m, 2, 3, 4))),
                in -> op.apply(in.get(0)), in -> ref.apply(in.get(0)));
    }

    /** A full reduction, sampled at [2, 3], [5] and 0-d. */
    static OpInfo reduction(String name, Gen gen, UnaryOperator<Variable> op, UnaryOperator<Tensor> ref) {
        return OpInfo.of(name, m -> List.of(Sample.of("[2,3]", gen.make(m, 2, 3)), Sample.of("[5]", gen.make(m, 5)),
                        Sample.of("0-d", gen.make(m))),
                in -> op.apply(in.get(0)), in -> ref.apply(in.get(0)));
    }

    /** A reduction over some dimensions, sampled at [2, 3, 4]. */
    static OpInfo reduction3(String name, Gen gen, UnaryOperator<Variable> op, UnaryOperator<Tensor> ref) {
        return unary3(name, gen, op, ref);
    }
}
