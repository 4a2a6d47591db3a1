package dev.fnmesh.broker.cron;

import dev.fnmesh.mesh.TriggerSpec;
import dev.fnmesh.mesh.CronSource;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Predicate;

/**
 * The cron triggers of one process, the last fired tick of each as the state topic tells, and, while the
 * process leads, the next tick each fires. Never fires a tick at or before a trigger's last fired one,
 * which is what makes a tick fire once across leaders. Used by the cron thread only: not thread-safe.
 */
final class TriggerTable {

  private static final Logger LOG = LoggerFactory.getLogger(TriggerTable.class);

  /** One tick to fire. */
  record Tick(TriggerSpec trigger, Instant scheduledAt) {}

  private final Duration lateTolerance;
  private final Map<String, Entry> entries = new LinkedHashMap<>();
  private final Map<String, Instant> lastFired = new HashMap<>();
  private boolean leading;

  /** @param lateTolerance how late a tick may still fire; a later one counts as missed */
  TriggerTable(Duration lateTolerance) {
    this.lateTolerance = lateTolerance;
  }

  /** New and changed triggers start from now (no backfill); removed ones stop. */
  void replace(Collection<TriggerSpec> triggers, Instant now) {
    Map<String, Entry> next = new LinkedHashMap<>();
    for (TriggerSpec trigger : triggers) {
      Entry current = entries.get(trigger.name());
      if (current != null && sameTicks(current.trigger, trigger)) {
        next.put(trigger.name(), current);
      } else {
        Entry entry = new Entry(trigger);
        if (leading) {
          entry.nextDue = entry.schedule.next(latest(now, lastFired.get(trigger.name())), entry.zone);
        }
        next.put(trigger.name(), entry);
      }
    }
    entries.clear();
    entries.putAll(next);
  }

  /** Learns from the state topic that a trigger fired the tick scheduled at {@code at}. */
  void recordFired(String trigger, Instant at) {
    lastFired.merge(trigger, at, TriggerTable::latest);
  }

  /** Learns from the state topic that a trigger's state was removed: the trigger was removed from the mesh. */
  void recordRemoved(String trigger) {
    lastFired.remove(trigger);
  }

  /** Forgets what the state topic said, before reading it again. */
  void forgetState() {
    lastFired.clear();
  }

  /** Plans each trigger's next tick from its last fired one and its missed policy. */
  void startLeading(Instant now) {
    leading = true;
    entries.values().forEach(entry -> entry.nextDue = plan(entry, now));
  }

  void stopLeading() {
    leading = false;
    entries.values().forEach(entry -> {
      entry.nextDue = null;
      entry.catchUp = false;
    });
  }

  /**
   * The ticks due at {@code now}, at most one per trigger, of the triggers that are {@code ready}. A tick
   * overdue by more than the tolerance is missed: the trigger is planned again by its missed policy.
   */
  List<Tick> due(Instant now, Predicate<TriggerSpec> ready) {
    List<Tick> due = new ArrayList<>();
    for (Entry entry : entries.values()) {
      if (entry.nextDue == null || entry.nextDue.isAfter(now) || !ready.test(entry.trigger)) {
        continue;
      }
      if (!entry.catchUp && entry.nextDue.isBefore(now.minus(lateTolerance))) {
        entry.nextDue = plan(entry, now);
      }
      if (!entry.nextDue.isAfter(now)) {
        due.add(new Tick(entry.trigger, entry.nextDue));
      }
    }
    return due;
  }

  /** Records that the ticks were fired (committed) and plans each trigger's following one. */
  void fired(List<Tick> ticks) {
    for (Tick tick : ticks) {
      recordFired(tick.trigger().name(), tick.scheduledAt());
      Entry entry = entries.get(tick.trigger().name());
      if (entry != null && sameTicks(entry.trigger, tick.trigger())) {
        entry.nextDue = entry.schedule.next(tick.scheduledAt(), entry.zone);
        entry.catchUp = false;
      }
    }
  }

  /** The earliest next tick of the triggers that are {@code ready}; empty when not leading. */
  Optional<Instant> nextDue(Predicate<TriggerSpec> ready) {
    return entries.values().stream()
        .filter(entry -> entry.nextDue != null && ready.test(entry.trigger))
        .map(entry -> entry.nextDue)
        .min(Instant::compareTo);
  }

  List<TriggerSpec> triggers() {
    return entries.values().stream().map(entry -> entry.trigger).toList();
  }

  Optional<Instant> lastFired(String trigger) {
    return Optional.ofNullable(lastFired.get(trigger));
  }

  private Instant plan(Entry entry, Instant now) {
    entry.catchUp = false;
    TriggerSpec trigger = entry.trigger;
    CronSource.Missed missed = entry.cron.missed();
    Instant last = lastFired.get(trigger.name());
    if (last == null) {
      return entry.schedule.next(now, entry.zone);
    }
    Instant first = entry.schedule.next(last, entry.zone);
    Instant cutoff = now.minus(lateTolerance);
    if (first.isAfter(cutoff)) {
      return first;
    }
    Instant next = switch (missed) {
      case SKIP -> entry.schedule.next(cutoff, entry.zone);
      // first <= cutoff, so a latest tick at or before the cutoff exists and is after last
      case ONCE -> entry.schedule.latest(cutoff, entry.zone).orElse(first);
    };
    // A catch-up tick is late by design: it must not be taken for missed again.
    entry.catchUp = missed == CronSource.Missed.ONCE;
    LOG.info("cron ticks missed trigger={} missed={} lastFired={} firstMissed={} next={}", trigger.name(),
        missed.yamlName(), last, first, next);
    return next;
  }

  /** Whether two versions of a trigger tick alike: a change of its function or delivery leaves its schedule be. */
  private static boolean sameTicks(TriggerSpec a, TriggerSpec b) {
    return a.source().equals(b.source()) && a.topic().equals(b.topic()) && a.partitions() == b.partitions();
  }

  private static Instant latest(Instant a, Instant b) {
    return b == null || a.isAfter(b) ? a : b;
  }

  private static final class Entry {
    private final TriggerSpec trigger;
    private final CronSource cron;
    private final ZoneId zone;
    private final CronSchedule schedule;
    private Instant nextDue;
    private boolean catchUp;

    private Entry(TriggerSpec trigger) {
      this.trigger = trigger;
      this.cron = (CronSource) trigger.source();
      this.zone = ZoneId.of(cron.timezone());
      this.schedule = CronSchedule.parse(cron.schedule());
    }
  }
}
