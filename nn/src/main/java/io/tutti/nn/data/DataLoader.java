package io.tutti.nn.data;

import io.tutti.tensor.Backend;
import io.tutti.tensor.Backends;
import io.tutti.tensor.Generator;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Iterator;
import java.util.List;
import java.util.NoSuchElementException;
import java.util.Objects;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.function.Function;

/**
 * Batches a dataset, as {@code torch.utils.data.DataLoader}: a batch size, optional shuffling,
 * {@code dropLast}, and loading ahead on one background thread.
 *
 * <p><b>Reproducible order.</b> The order of epoch {@code k} is a pure function of the seed and
 * {@code k}: a permutation drawn from {@code new Generator(seed)} at offset {@code k * size}, so
 * each epoch has its own stream, and resuming at epoch {@code k} after a restart gives the same
 * batches as never stopping. {@link #iterator()} walks epochs 0, 1, 2, ... in turn (each
 * {@code for} loop over the loader is the next epoch, as in PyTorch); {@link #iterator(int)} runs a
 * chosen one.
 *
 * <p><b>Background loading.</b> With {@code prefetch > 0} (the default is 2), a daemon thread
 * builds batches into a queue of that many, so the next batch is ready while the model trains on
 * the current one; the thread uses the CPU backend of the thread that started the epoch. An
 * exception thrown while loading is rethrown to the consumer by {@code hasNext}/{@code next}.
 * Close the iterator to stop early (it closes itself when exhausted):
 * <pre>{@code
 * try (DataLoader.BatchIterator it = loader.iterator(epoch)) {
 *     while (it.hasNext()) { Batch b = it.next(); ... }
 * }
 * }</pre>
 */
public final class DataLoader implements Iterable<Batch> {
    private final int size;
    private final Function<int[], Batch> fetch;
    private final int batchSize;
    private final boolean shuffle;
    private final long seed;
    private final boolean dropLast;
    private final int prefetch;
    private int nextEpoch;

    private DataLoader(Builder b) {
        this.size = b.size;
        this.fetch = b.fetch;
        this.batchSize = b.batchSize;
        this.shuffle = b.shuffle;
        this.seed = b.seed;
        this.dropLast = b.dropLast;
        this.prefetch = b.prefetch;
    }

    /** A loader over any dataset, with {@code collate} turning each batch's examples into a {@link Batch}. */
    public static <T> Builder builder(Dataset<T> dataset, Collate<T> collate) {
        Objects.requireNonNull(dataset, "DataLoader: dataset");
        Objects.requireNonNull(collate, "DataLoader: collate");
        return new Builder(dataset.size(), indices -> {
            List<T> examples = new ArrayList<>(indices.length);
            for (int i : indices) {
                examples.add(dataset.get(i));
            }
            return collate.collate(examples);
        });
    }

    /** A loader over a dataset of {@link Example}s, stacked by {@link Collate#stack()}. */
    public static Builder builder(Dataset<Example> dataset) {
        return builder(dataset, Collate.stack());
    }

    /** A loader over a {@link TensorDataset}, which gathers each batch directly. */
    public static Builder builder(TensorDataset dataset) {
        Objects.requireNonNull(dataset, "DataLoader: dataset");
        return new Builder(dataset.size(), dataset::batch);
    }

    /** Options of a {@link DataLoader}. */
    public static final class Builder {
        private final int size;
        private final Function<int[], Batch> fetch;
        private int batchSize = 1;
        private boolean shuffle;
        private long seed;
        private boolean dropLast;
        private int prefetch = 2;

        private Builder(int size, Function<int[], Batch> fetch) {
            if (size < 0) {
                throw new IllegalArgumentException("DataLoader: dataset size is negative: " + size);
            }
            this.size = size;
            this.fetch = fetch;
        }

        public Builder batchSize(int batchSize) {
            if (batchSize <= 0) {
                throw new IllegalArgumentException("DataLoader: batch size must be positive, got " + batchSize);
            }
            this.batchSize = batchSize;
            return this;
        }

        /** Shuffles every epoch with orders derived from {@code seed}. */
        public Builder shuffle(long seed) {
            this.shuffle = true;
            this.seed = seed;
            return this;
        }

        /** Drops the last batch when it is smaller than the batch size. */
        public Builder dropLast(boolean dropLast) {
            this.dropLast = dropLast;
            return this;
        }

        /** How many batches to build ahead on the background thread; 0 builds each on the consumer's thread. */
        public Builder prefetch(int batches) {
            if (batches < 0) {
                throw new IllegalArgumentException("DataLoader: prefetch must be non-negative, got " + batches);
            }
            this.prefetch = batches;
            return this;
        }

        public DataLoader build() {
            return new DataLoader(this);
        }
    }

    /** Batches per epoch. */
    public int numBatches() {
        return dropLast ? size / batchSize : (size + batchSize - 1) / batchSize;
    }

    /** The order in which epoch {@code epoch} visits the examples. */
    public int[] order(int epoch) {
        if (epoch < 0) {
            throw new IllegalArgumentException("DataLoader: epoch must be non-negative, got " + epoch);
        }
        if (!shuffle) {
            int[] o = new int[size];
            Arrays.setAll(o, i -> i);
            return o;
        }
        Generator g = new Generator(seed);
        g.setOffset((long) epoch * size);
        return g.permutation(size);
    }

    /** The batches of the next epoch (0 the first time, then 1, 2, ...). */
    @Override
    public BatchIterator iterator() {
        return iterator(nextEpoch++);
    }

    /** The batches of epoch {@code epoch}. */
    public BatchIterator iterator(int epoch) {
        int[] order = order(epoch);
        List<int[]> batches = new ArrayList<>(numBatches());
        for (int start = 0; start < size; start += batchSize) {
            int end = Math.min(size, start + batchSize);
            if (end - start < batchSize && dropLast) {
                break;
            }
            batches.add(Arrays.copyOfRange(order, start, end));
        }
        return prefetch == 0 ? new InlineIterator(batches, fetch) : new BackgroundIterator(batches, fetch, prefetch, epoch);
    }

    /** The batches of one epoch; close it to stop early. */
    public abstract static class BatchIterator implements Iterator<Batch>, AutoCloseable {
        private BatchIterator() {
        }

        /** Stops loading; later calls to {@code hasNext} return false. */
        @Override
        public abstract void close();
    }

    private static final class InlineIterator extends BatchIterator {
        private final List<int[]> batches;
        private final Function<int[], Batch> fetch;
        private int next;
        private boolean closed;

        InlineIterator(List<int[]> batches, Function<int[], Batch> fetch) {
            this.batches = batches;
            this.fetch = fetch;
        }

        @Override
        public boolean hasNext() {
            return !closed && next < batches.size();
        }

        @Override
        public Batch next() {
            if (!hasNext()) {
                throw new NoSuchElementException("DataLoader: no more batches");
            }
            return fetch.apply(batches.get(next++));
        }

        @Override
        public void close() {
            closed = true;
        }
    }

    @SuppressWarnings("try")   // the backend scope is opened only to be closed
    private static final class BackgroundIterator extends BatchIterator {
        private static final Object END = new Object();

        private record Failure(int batch, Throwable error) {
        }

        private final BlockingQueue<Object> queue;
        private final Thread worker;
        private final int epoch;
        private Object pending;
        private boolean finished;
        private volatile boolean closed;

        BackgroundIterator(List<int[]> batches, Function<int[], Batch> fetch, int capacity, int epoch) {
            this.queue = new ArrayBlockingQueue<>(capacity);
            this.epoch = epoch;
            Backend backend = Backends.cpu();
            worker = new Thread(() -> {
                try (Backends.Scope s = Backends.use(backend)) {
                    for (int k = 0; k < batches.size() && !closed; k++) {
                        Object item;
                        try {
                            item = fetch.apply(batches.get(k));
                        } catch (Throwable t) {
                            item = new Failure(k, t);
                        }
                        queue.put(item);
                        if (item instanceof Failure) {
                            return;
                        }
                    }
                    queue.put(END);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();   // closed by the consumer: just stop
                }
            }, "tutti-dataloader-epoch-" + epoch);
            worker.setDaemon(true);
            worker.start();
        }

        @Override
        public boolean hasNext() {
            if (finished || closed) {
                return false;
            }
            if (pending == null) {
                try {
                    pending = queue.take();
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    close();
                    throw new IllegalStateException("DataLoader: interrupted while waiting for a batch", e);
                }
            }
            if (pending == END) {
                finished = true;
                return false;
            }
            if (pending instanceof Failure f) {
                finished = true;
                close();
                throw new IllegalStateException("DataLoader: loading batch " + f.batch() + " of epoch " + epoch + " failed: "
                        + f.error(), f.error());
            }
            return true;
        }

        @Override
        public Batch next() {
            if (!hasNext()) {
                throw new NoSuchElementException("DataLoader: no more batches");
            }
            Batch b = (Batch) pending;
            pending = null;
            return b;
        }

        @Override
        public void close() {
            if (closed) {
                return;
            }
            closed = true;
            worker.interrupt();
            queue.clear();
            try {
                worker.join(1000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }
}
