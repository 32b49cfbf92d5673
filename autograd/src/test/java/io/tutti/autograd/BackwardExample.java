package io.tutti.autograd;

import io.tutti.tensor.Tensor;

/** The runnable example of the autograd README: one forward and backward pass of a tiny linear model. */
public final class BackwardExample {
    private BackwardExample() {
    }

    public static void main(String[] args) {
        System.out.println(run());
    }

    // README:begin
    /** Returns the weight's gradient after one backward pass. */
    static Tensor run() {
        Variable x = new Variable(Tensor.of(new float[] {1, 2, 3, 4}, 2, 2));       // a batch of 2 inputs
        Variable w = new Variable(Tensor.of(new float[] {0.5f, -1}, 2, 1), true);  // parameters: leaves
        Variable b = new Variable(Tensor.scalar(0.1), true);                        //   that require grad
        Variable target = new Variable(Tensor.of(new float[] {1, 0}, 2, 1));

        Variable prediction = x.matmul(w).add(b);            // records Matmul, then Add
        Variable loss = prediction.sub(target).square().mean();
        loss.backward();                                     // walks Mean, Square, Sub, Add, Matmul in reverse

        System.out.println("loss   " + loss.item());         // mean([-2.4, -2.4]^2) = 5.76
        System.out.println("dL/db  " + b.grad().item());     // 2 * mean(residual) * 2 / 2 = -4.8
        return w.grad();                                     // x^T residual = [-9.6, -14.4]
    }
    // README:end
}
