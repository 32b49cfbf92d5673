package io.tutti.optim;

import io.tutti.nn.Parameter;

import java.util.Collection;
import java.util.List;

/**
 * Adam with decoupled weight decay (Loshchilov and Hutter), as {@code torch.optim.AdamW}: before the
 * Adam update the weights shrink by {@code w = w · (1 − η λ)}, and the decay never enters the
 * moment estimates. The default weight decay is 1e-2.
 */
public final class AdamW extends Adam {

    /** One group of {@code params}. */
    public AdamW(Collection<? extends Parameter> params, Adam.Options options) {
        this(oneGroup(List.copyOf(params)), options);
    }

    /** Several groups; options they do not set come from {@code options}. */
    public AdamW(List<ParamGroup> groups, Adam.Options options) {
        super(groups, options.toMap(1e-2), true);
    }
}
