package io.tutti.multimodal;

import io.tutti.multimodal.data.MultimodalData;
import io.tutti.nn.data.DataLoader;
import io.tutti.nn.data.TensorDataset;
import io.tutti.tensor.Tensor;

import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Batches a {@link MultimodalData} as {@link MultimodalBatch}es through {@code nn.data}'s
 * {@link DataLoader}: each modality, its presence mask ({@code present:m}) and the labels are
 * fields of one {@link TensorDataset}, so a batch is gathered with one {@code indexSelect} per field.
 * Shuffled orders are a pure function of the seed and the epoch (see {@link DataLoader}).
 */
public final class MultimodalLoader {
    private final DataLoader loader;
    private final List<String> modalities;
    private final int size;

    /**
     * @param shuffle  shuffle every epoch (training) or keep the data order (evaluation)
     * @param seed     the shuffling seed
     * @param dropLast drop a last, smaller batch (training keeps every batch the same size)
     */
    public MultimodalLoader(MultimodalData data, int batchSize, boolean shuffle, long seed, boolean dropLast) {
        this.modalities = data.modalityNames();
        this.size = data.size();
        Map<String, Tensor> fields = new LinkedHashMap<>();
        for (String m : modalities) {
            fields.put(m, data.modality(m));
            fields.put(MultimodalBatch.PRESENT_PREFIX + m, data.present(m));
        }
        fields.put(MultimodalBatch.LABEL, data.labels());
        DataLoader.Builder b = DataLoader.builder(new TensorDataset(fields)).batchSize(batchSize).dropLast(dropLast).prefetch(0);
        if (shuffle) {
            b.shuffle(seed);
        }
        this.loader = b.build();
    }

    /** An evaluation loader: data order, every sample. */
    public static MultimodalLoader ordered(MultimodalData data, int batchSize) {
        return new MultimodalLoader(data, batchSize, false, 0, false);
    }

    /** Batches per epoch. */
    public int numBatches() {
        return loader.numBatches();
    }

    /** Samples in the data. */
    public int size() {
        return size;
    }

    public List<String> modalities() {
        return modalities;
    }

    /** The batches of epoch {@code epoch}. */
    public Iterator<MultimodalBatch> iterator(int epoch) {
        DataLoader.BatchIterator it = loader.iterator(epoch);
        return new Iterator<>() {
            @Override
            public boolean hasNext() {
                return it.hasNext();
            }

            @Override
            public MultimodalBatch next() {
                return MultimodalBatch.from(it.next(), modalities);
            }
        };
    }

    /** Every batch of epoch {@code epoch} (evaluation of small splits). */
    public Iterable<MultimodalBatch> epoch(int epoch) {
        return () -> iterator(epoch);
    }
}
