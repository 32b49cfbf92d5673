package io.tutti.bench;

import com.sun.management.GarbageCollectionNotificationInfo;
import com.sun.management.GcInfo;

import javax.management.NotificationEmitter;
import javax.management.openmbean.CompositeData;
import java.lang.management.GarbageCollectorMXBean;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryUsage;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Listens to the collectors' notifications and keeps, over all collections, the largest heap
 * occupancy just before a collection and the largest occupancy just after one (the live set plus
 * what the collector kept), for {@link MemoryProbe}. Unlike the pools' individual peaks, these are
 * sums over the pools at one moment.
 */
final class GcWatch {
    private final AtomicLong maxBefore = new AtomicLong();
    private final AtomicLong maxAfter = new AtomicLong();
    private final AtomicInteger count = new AtomicInteger();

    private GcWatch() {
    }

    static GcWatch start() {
        GcWatch watch = new GcWatch();
        for (GarbageCollectorMXBean bean : ManagementFactory.getGarbageCollectorMXBeans()) {
            if (bean instanceof NotificationEmitter emitter) {
                emitter.addNotificationListener((notification, handback) -> {
                    if (GarbageCollectionNotificationInfo.GARBAGE_COLLECTION_NOTIFICATION.equals(notification.getType())) {
                        GcInfo info = GarbageCollectionNotificationInfo.from((CompositeData) notification.getUserData()).getGcInfo();
                        watch.count.incrementAndGet();
                        watch.maxBefore.accumulateAndGet(heapUsed(info.getMemoryUsageBeforeGc()), Math::max);
                        watch.maxAfter.accumulateAndGet(heapUsed(info.getMemoryUsageAfterGc()), Math::max);
                    }
                }, null, null);
            }
        }
        return watch;
    }

    /** The used bytes of the heap pools in one usage snapshot (keyed by pool name). */
    private static long heapUsed(Map<String, MemoryUsage> usage) {
        long sum = 0;
        for (var pool : ManagementFactory.getMemoryPoolMXBeans()) {
            MemoryUsage u = usage.get(pool.getName());
            if (pool.getType() == java.lang.management.MemoryType.HEAP && u != null) {
                sum += u.getUsed();
            }
        }
        return sum;
    }

    long maxBefore() {
        return maxBefore.get();
    }

    long maxAfter() {
        return maxAfter.get();
    }

    int count() {
        return count.get();
    }
}
