package dev.fnmesh.bench;

import com.sun.management.GarbageCollectionNotificationInfo;

import javax.management.NotificationEmitter;
import javax.management.NotificationListener;
import javax.management.openmbean.CompositeData;
import java.lang.management.GarbageCollectorMXBean;
import java.lang.management.ManagementFactory;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ConcurrentLinkedQueue;

/**
 * The JVM's garbage collections as they are reported, with when each began (epoch milliseconds) and how long
 * it took, so that a slow stretch of events can be told apart from a collection that stopped every thread.
 */
final class GcPauses implements AutoCloseable {

  /** One collection: {@code name} is the collector's, e.g. {@code G1 Young Generation}. */
  record Pause(String name, String cause, long startEpochMillis, long millis) {}

  private final long jvmStartEpochMillis = ManagementFactory.getRuntimeMXBean().getStartTime();
  private final ConcurrentLinkedQueue<Pause> pauses = new ConcurrentLinkedQueue<>();
  private final List<Runnable> removals = new ArrayList<>();

  GcPauses() {
    NotificationListener listener = (notification, handback) -> {
      if (GarbageCollectionNotificationInfo.GARBAGE_COLLECTION_NOTIFICATION.equals(notification.getType())) {
        GarbageCollectionNotificationInfo info =
            GarbageCollectionNotificationInfo.from((CompositeData) notification.getUserData());
        pauses.add(new Pause(info.getGcName(), info.getGcCause(), jvmStartEpochMillis + info.getGcInfo().getStartTime(),
            info.getGcInfo().getDuration()));
      }
    };
    for (GarbageCollectorMXBean gc : ManagementFactory.getGarbageCollectorMXBeans()) {
      if (gc instanceof NotificationEmitter emitter) {
        emitter.addNotificationListener(listener, null, null);
        removals.add(() -> {
          try {
            emitter.removeNotificationListener(listener);
          } catch (javax.management.ListenerNotFoundException e) {
            // Never added: nothing to remove.
          }
        });
      }
    }
  }

  /** The collections that began between the two instants (epoch milliseconds, inclusive). */
  List<Pause> between(long fromEpochMillis, long toEpochMillis) {
    return pauses.stream().filter(p -> p.startEpochMillis() >= fromEpochMillis && p.startEpochMillis() <= toEpochMillis)
        .toList();
  }

  @Override
  public void close() {
    removals.forEach(Runnable::run);
  }
}
