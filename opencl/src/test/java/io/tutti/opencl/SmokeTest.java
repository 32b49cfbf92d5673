package io.tutti.opencl;

import io.tutti.tensor.Device;
import io.tutti.tensor.Tensor;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class SmokeTest {
    @Test
    void addsOnDevice() {
        Device d = TestDevice.get();
        System.out.println(OpenCl.describe());
        Tensor a = Tensor.of(new float[] {1, 2, 3}, 3).to(d);
        Tensor b = a.add(a).exp().sum();
        assertThat(b.device()).isSameAs(d);
        System.out.println(b.item());
        Tensor m = Tensor.of(new float[] {1, 2, 3, 4, 5, 6}, 2, 3).to(d);
        System.out.println(m.matmul(m.t()));
        System.out.println(m.narrow(1, 1, 2).to(Device.CPU));
    }
}
