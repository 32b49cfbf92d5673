package io.tutti.nn.data;

/**
 * A finite, indexable collection of examples, as {@code torch.utils.data.Dataset}: {@link #get}
 * must be safe to call from the {@link DataLoader}'s background thread.
 */
public interface Dataset<T> {
    /** The number of examples. */
    int size();

    /** The example at {@code index}, {@code 0 <= index < size()}. */
    T get(int index);
}
