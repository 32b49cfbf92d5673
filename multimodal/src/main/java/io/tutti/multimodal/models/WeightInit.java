package io.tutti.multimodal.models;

import io.tutti.nn.BatchNorm;
import io.tutti.nn.Conv2d;
import io.tutti.nn.Init;
import io.tutti.nn.Linear;
import io.tutti.nn.Module;
import io.tutti.tensor.Generator;

/**
 * The seed papers' {@code weight_init} (METHODS.md 0.1), applied to a whole model after it is
 * built: convolutions Kaiming-normal (fan out, ReLU), batch norm weight 1 and bias 0, linear layers
 * Xavier-normal with zero bias.
 */
public final class WeightInit {
    private WeightInit() {
    }

    /** Re-initialises every convolution, batch norm and linear layer of {@code model}, drawing from {@code gen}. */
    public static <M extends Module> M apply(M model, Generator gen) {
        model.apply(m -> {
            if (m instanceof Conv2d c) {
                Init.kaimingNormal(c.weight().data(), 0, Init.FanMode.FAN_OUT, Init.Nonlinearity.RELU, gen);
                if (c.bias() != null) {
                    Init.zeros(c.bias().data());
                }
            } else if (m instanceof BatchNorm b && b.weight() != null) {
                Init.ones(b.weight().data());
                Init.zeros(b.bias().data());
            } else if (m instanceof Linear l) {
                Init.xavierNormal(l.weight().data(), 1.0, gen);
                if (l.bias() != null) {
                    Init.zeros(l.bias().data());
                }
            }
        });
        return model;
    }
}
