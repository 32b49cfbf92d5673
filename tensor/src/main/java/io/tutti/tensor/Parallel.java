package io.tutti.tensor;

import java.util.concurrent.ForkJoinPool;
import java.util.concurrent.ForkJoinWorkerThread;
import java.util.concurrent.ForkJoinTask;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The one shared pool that parallel kernels split work over, sized by {@code TUTTI_THREADS} (default:
 * the number of available processors). Work is cut on an outer dimension into ranges of at least a
 * minimum grain, so small tensors run on the calling thread and never pay for a hand-off. The pool
 * has one worker fewer than the thread count because the calling thread takes a share itself.
 */
public final class Parallel {
    private static final int THREADS = threadsFromEnvironment();
    private static final ForkJoinPool POOL = THREADS > 1 ? new ForkJoinPool(THREADS - 1, Parallel::newWorker, null, true) : null;

    private Parallel() {
    }

    /** A body run over a half-open range of indices. */
    @FunctionalInterface
    public interface RangeBody {
        void run(int from, int to);
    }

    public static int threads() {
        return THREADS;
    }

    /**
     * Runs {@code body} over [0, n), split into at most {@link #threads()} ranges of at least
     * {@code grain} indices each. The calling thread runs the first range itself while pool workers
     * run the others. Returns when every range is done; an exception in any range is rethrown here.
     */
    public static void forRange(int n, int grain, RangeBody body) {
        int chunks = POOL == null ? 1 : Math.min(THREADS, n / Math.max(1, grain));
        if (chunks <= 1 || insidePool()) {
            if (n > 0) {
                body.run(0, n);
            }
            return;
        }
        ForkJoinTask<?>[] others = new ForkJoinTask<?>[chunks - 1];
        for (int c = 1; c < chunks; c++) {
            int from = (int) ((long) n * c / chunks);
            int to = (int) ((long) n * (c + 1) / chunks);
            others[c - 1] = POOL.submit(() -> body.run(from, to));
        }
        Throwable failure = null;
        try {
            body.run(0, (int) ((long) n / chunks));
        } catch (RuntimeException | Error e) {
            failure = e;
        }
        for (ForkJoinTask<?> t : others) {
            try {
                t.join();
            } catch (RuntimeException | Error e) {
                if (failure == null) {
                    failure = e;
                }
            }
        }
        if (failure instanceof RuntimeException) {
            throw (RuntimeException) failure;
        } else if (failure != null) {
            throw (Error) failure;
        }
    }

    // A kernel called from inside a pool worker (a nested parallel region) runs serially.
    private static boolean insidePool() {
        return Thread.currentThread() instanceof ForkJoinWorkerThread
                && ((ForkJoinWorkerThread) Thread.currentThread()).getPool() == POOL;
    }

    private static final AtomicInteger WORKER_ID = new AtomicInteger();

    private static ForkJoinWorkerThread newWorker(ForkJoinPool pool) {
        ForkJoinWorkerThread t = ForkJoinPool.defaultForkJoinWorkerThreadFactory.newThread(pool);
        t.setName("tutti-worker-" + WORKER_ID.incrementAndGet());
        t.setDaemon(true);
        return t;
    }

    private static int threadsFromEnvironment() {
        String v = System.getenv("TUTTI_THREADS");
        if (v != null && !v.isBlank()) {
            try {
                int n = Integer.parseInt(v.trim());
                if (n >= 1) {
                    return n;
                }
            } catch (NumberFormatException e) {
                // fall through to the error below
            }
            throw new IllegalStateException("TUTTI_THREADS must be a positive integer, got '" + v + "'");
        }
        return Runtime.getRuntime().availableProcessors();
    }
}
