package io.tutti.tensor;

/**
 * What {@code ./tutti} runs until the multimodal command line exists: reports which backends this
 * JVM has and checks the SIMD backend against the reference on a small matrix product.
 */
public final class Main {
    private Main() {
    }

    public static void main(String[] args) {
        System.out.println("Tutti: a deep learning framework in pure Java");
        System.out.println("CPU backend: " + Backends.cpu().name() + " (" + Parallel.threads() + " threads)");
        Generator g = new Generator(0);
        Tensor a = g.randn(64, 48);
        Tensor b = g.randn(48, 32);
        Tensor fast = a.matmul(b);
        Tensor ref;
        try (Backends.Scope s = Backends.use(Backends.reference())) {
            ref = a.matmul(b);
        }
        double err = fast.sub(ref).abs().max().item();
        System.out.printf("matmul 64x48 @ 48x32: max |%s - reference| = %.2e%n", Backends.cpu().name(), err);
        System.out.println("Works so far: the tensor layer (reference and SIMD CPU backends).");
        System.out.println("Coming: autograd, nn, optim, multimodal training (the 'tutti' command), OpenCL, benchmarks.");
    }
}
