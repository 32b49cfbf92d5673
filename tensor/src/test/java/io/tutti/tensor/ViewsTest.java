package io.tutti.tensor;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class ViewsTest {
    @Test
    void transposeSharesStorageAndReshapeCopiesOnlyWhenNeeded() {
        Tensor x = Tensor.of(new float[] {1, 2, 3, 4, 5, 6}, 2, 3);
        Tensor t = x.t();
        assertThat(t.storage()).isSameAs(x.storage());
        assertThat(t.isContiguous()).isFalse();
        assertThat(t.reshape(6).toFloatArray()).containsExactly(1, 4, 2, 5, 3, 6);
        assertThat(x.reshape(3, 2).storage()).isSameAs(x.storage());
        assertThatThrownBy(() -> t.view(6)).isInstanceOf(IllegalArgumentException.class).hasMessageContaining("view");
    }
}
