package io.tutti.tensor;

import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.locks.LockSupport;

/**
 * The one shared pool that parallel kernels split work over, sized by {@code TUTTI_THREADS} (default:
 * the number of available processors). Work is cut on an outer dimension into ranges of at least a
 * minimum grain, so small tensors run on the calling thread and never pay for a hand-off. The pool
 * has one worker fewer than the thread count because the calling thread takes a share itself.
 *
 * <h2>Why its own workers</h2>
 * A training step is a long chain of parallel calls, each a fraction of a millisecond to a few
 * milliseconds, separated by short serial stretches. A worker that parks the moment it runs out of
 * work must be woken by the operating system for the next call, which takes tens of microseconds
 * on a quiet machine and much longer on a busy one, while the caller has already finished its own
 * share and waits. So a worker here spins for {@link #SPIN_NANOS} after each task before it parks,
 * and the caller spins the same way while it waits for the workers' shares. Spinning is bounded,
 * so an idle pool costs nothing after that.
 *
 * <p>Each worker has a one-task mailbox. A caller hands a range to an idle worker's mailbox; when
 * every worker is busy (another thread is running parallel work at the same time), the caller runs
 * that range itself, so concurrent callers never wait for each other. After its own ranges the
 * caller takes back any range a worker has not started yet (on an oversubscribed machine the worker
 * may not be running at all), as a fork-join pool's join would. A kernel called from inside a
 * worker (a nested parallel region) runs serially.
 */
public final class Parallel {
    private static final int THREADS = threadsFromEnvironment();
    /** How long a worker looks for new work, and a caller for finished work, before parking. */
    private static final long SPIN_NANOS = spinFromProperty();
    private static final Worker[] WORKERS = startWorkers(THREADS - 1);

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
        int chunks = WORKERS.length == 0 ? 1 : Math.min(THREADS, n / Math.max(1, grain));
        if (chunks <= 1 || Thread.currentThread() instanceof WorkerThread) {
            if (n > 0) {
                body.run(0, n);
            }
            return;
        }
        Job job = new Job(body, Thread.currentThread());
        // Ranges no idle worker takes are run here, after the caller's own first range.
        int[] leftover = new int[chunks];
        int left = 0;
        Task[] handed = new Task[chunks];
        Worker[] takers = new Worker[chunks];
        for (int c = 1; c < chunks; c++) {
            Task task = new Task(job, (int) ((long) n * c / chunks), (int) ((long) n * (c + 1) / chunks));
            job.pending.incrementAndGet();
            Worker w = handOff(task);
            if (w == null) {
                job.pending.decrementAndGet();
                leftover[left++] = c;
            } else {
                handed[c] = task;
                takers[c] = w;
            }
        }
        job.runRange(0, (int) ((long) n / chunks));
        for (int i = 0; i < left; i++) {
            int c = leftover[i];
            job.runRange((int) ((long) n * c / chunks), (int) ((long) n * (c + 1) / chunks));
        }
        // A worker that has not picked its range up yet (descheduled on a busy machine) is not waited
        // for: the caller takes the range back and runs it itself.
        for (int c = 1; c < chunks; c++) {
            if (handed[c] != null && takers[c].reclaim(handed[c])) {
                job.runRange(handed[c].from, handed[c].to);
                job.pending.decrementAndGet();
            }
        }
        job.awaitWorkers();
        job.rethrow();
    }

    /** The worker that accepted {@code task}, or null when none was idle. */
    private static Worker handOff(Task task) {
        for (Worker w : WORKERS) {
            if (w.offer(task)) {
                return w;
            }
        }
        return null;
    }

    /** One forRange call: its body, how many handed-off ranges are still running, and the first failure. */
    private static final class Job {
        final RangeBody body;
        final Thread caller;
        final AtomicInteger pending = new AtomicInteger();
        final AtomicReference<Throwable> failure = new AtomicReference<>();
        volatile boolean callerParked;

        Job(RangeBody body, Thread caller) {
            this.body = body;
            this.caller = caller;
        }

        void runRange(int from, int to) {
            try {
                body.run(from, to);
            } catch (RuntimeException | Error e) {
                failure.compareAndSet(null, e);
            }
        }

        void finished() {
            if (pending.decrementAndGet() == 0 && callerParked) {
                LockSupport.unpark(caller);
            }
        }

        void awaitWorkers() {
            long spinUntil = System.nanoTime() + SPIN_NANOS;
            while (pending.get() > 0 && System.nanoTime() < spinUntil) {
                Thread.onSpinWait();
            }
            if (pending.get() == 0) {
                return;
            }
            callerParked = true;
            while (pending.get() > 0) {
                LockSupport.park(this);
            }
            callerParked = false;
        }

        void rethrow() {
            Throwable f = failure.get();
            if (f instanceof RuntimeException e) {
                throw e;
            } else if (f != null) {
                throw (Error) f;
            }
        }
    }

    private record Task(Job job, int from, int to) {
    }

    /** The marker type of pool threads, so that nested calls run serially. */
    private static final class WorkerThread extends Thread {
        WorkerThread(Runnable loop, String name) {
            super(loop, name);
        }
    }

    /** A pool thread and its one-task mailbox. */
    private static final class Worker implements Runnable {
        private final AtomicReference<Task> mailbox = new AtomicReference<>();
        /** Set while the worker is between tasks, so that callers only offer to an idle worker. */
        private final AtomicInteger idle = new AtomicInteger(1);
        private volatile boolean parked;
        private Thread thread;

        boolean offer(Task task) {
            if (!idle.compareAndSet(1, 0)) {
                return false;
            }
            mailbox.set(task);
            if (parked) {
                LockSupport.unpark(thread);
            }
            return true;
        }

        /** Takes back {@code task} if the worker has not started it; the worker is then idle again. */
        boolean reclaim(Task task) {
            if (mailbox.compareAndSet(task, null)) {
                idle.set(1);
                return true;
            }
            return false;
        }

        @Override
        public void run() {
            while (true) {
                Task task = await();
                task.job.runRange(task.from, task.to);
                idle.set(1);
                task.job.finished();
            }
        }

        private Task await() {
            long spinUntil = System.nanoTime() + SPIN_NANOS;
            Task t;
            while ((t = mailbox.getAndSet(null)) == null && System.nanoTime() < spinUntil) {
                Thread.onSpinWait();
            }
            if (t != null) {
                return t;
            }
            while (true) {
                parked = true;
                // Checked again after announcing the park: an offer either sees the flag or its task is seen here.
                t = mailbox.getAndSet(null);
                if (t != null) {
                    parked = false;
                    return t;
                }
                LockSupport.park(this);
                parked = false;
                t = mailbox.getAndSet(null);
                if (t != null) {
                    return t;
                }
            }
        }
    }

    private static Worker[] startWorkers(int count) {
        Worker[] workers = new Worker[Math.max(0, count)];
        for (int i = 0; i < workers.length; i++) {
            Worker w = new Worker();
            Thread t = new WorkerThread(w, "tutti-worker-" + (i + 1));
            t.setDaemon(true);
            w.thread = t;
            workers[i] = w;
            t.start();
        }
        return workers;
    }

    private static long spinFromProperty() {
        return Long.getLong("tutti.parallel.spinMicros", 50) * 1000;
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
