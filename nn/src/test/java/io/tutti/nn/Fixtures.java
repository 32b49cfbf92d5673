package io.tutti.nn;

import io.tutti.tensor.Safetensors;
import io.tutti.tensor.Tensor;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URISyntaxException;
import java.net.URL;
import java.nio.file.Path;
import java.util.LinkedHashMap;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

/** Reads the PyTorch fixtures written by {@code nn/fixtures/make_fixtures.py}, and compares tensors. */
final class Fixtures {
    private Fixtures() {
    }

    static Path path(String file) {
        URL url = Fixtures.class.getResource("/fixtures/" + file);
        assertThat(url).as("fixture " + file + " (regenerate with nn/fixtures/make_fixtures.py)").isNotNull();
        try {
            return Path.of(url.toURI());
        } catch (URISyntaxException e) {
            throw new IllegalStateException(e);
        }
    }

    /** The PyTorch state dict of model {@code name}. */
    static LinkedHashMap<String, Tensor> state(String name) {
        return read(name + ".safetensors");
    }

    /** The inputs and PyTorch's outputs for model {@code name}. */
    static LinkedHashMap<String, Tensor> io(String name) {
        return read(name + ".io.safetensors");
    }

    private static LinkedHashMap<String, Tensor> read(String file) {
        try {
            return Safetensors.load(path(file));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Elementwise {@code |actual - expected| <= atol + rtol * |expected|}, naming the first element that is not. */
    static void assertClose(String what, Tensor actual, Tensor expected, double atol, double rtol) {
        assertThat(actual.shape()).as(what + " shape").containsExactly(expected.shape());
        double[] a = actual.toDoubleArray();
        double[] e = expected.toDoubleArray();
        for (int i = 0; i < a.length; i++) {
            if (!(Math.abs(a[i] - e[i]) <= atol + rtol * Math.abs(e[i]))) {
                fail(what + ": element " + i + " is " + a[i] + ", expected " + e[i]);
            }
        }
    }

    static void assertClose(String what, Tensor actual, Tensor expected) {
        assertClose(what, actual, expected, 1e-5, 1e-5);
    }
}
