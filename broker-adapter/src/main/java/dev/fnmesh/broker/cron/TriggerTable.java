package dev.fnmesh.broker.cron;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
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
  record Tick(CronSettings trigger, Instant scheduledAt) {}

  private final Duration lateTolerance;
  private final Map<String, Entry> entries = new LinkedHashMap<>();
  private final Map<String, Instant> lastFired = new HashMap<>();
  private boolean leading;

  /** @param lateTolerance how late a tick may still fire; a later one counts as missed */
  TriggerTable(Duration lateTolerance) {
    this.lateTolerance = lateTolerance;
  }

  /** New and changed triggers start from now (no backfill); removed ones stop. */
  void replace(Collection<CronSettings> triggers, Instant now) {
    Map<String, Entry> next = new LinkedHashMap<>();
    for (CronSettings trigger : triggers) {
      Entry current = entries.get(trigger.name());
      if (current != null && current.settings.equals(trigger)) {
        next.put(trigger.name(), current);
      } else {
        Entry entry = new Entry(trigger);
        if (leading) {
          entry.nextDue = entry.schedule.next(latest(now, lastFired.get(trigger.name())), trigger.timezone());
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
  List<Tick> due(Instant now, Predicate<CronSettings> ready) {
    List<Tick> due = new ArrayList<>();
    for (Entry entry : entries.values()) {
      if (entry.nextDue == null || entry.nextDue.isAfter(now) || !ready.test(entry.settings)) {
        continue;
      }
      if (!entry.catchUp && entry.nextDue.isBefore(now.minus(lateTolerance))) {
        entry.nextDue = plan(entry, now);
      }
      if (!entry.nextDue.isAfter(now)) {
        due.add(new Tick(entry.settings, entry.nextDue));
      }
    }
    return due;
  }

  /** Records that the ticks were fired (committed) and plans each trigger's following one. */
  void fired(List<Tick> ticks) {
    for (Tick tick : ticks) {
      recordFired(tick.trigger().name(), tick.scheduledAt());
      Entry entry = entries.get(tick.trigger().name());
      if (entry != null && entry.settings.equals(tick.trigger())) {
        entry.nextDue = entry.schedule.next(tick.scheduledAt(), tick.trigger().timezone());
        entry.catchUp = false;
      }
    }
  }

  /** The earliest next tick of the triggers that are {@code ready}; empty when not leading. */
  Optional<Instant> nextDue(Predicate<CronSettings> ready) {
    return entries.values().stream()
        .filter(entry -> entry.nextDue != null && ready.test(entry.settings))
        .map(entry -> entry.nextDue)
        .min(Instant::compareTo);
  }

  List<CronSettings> triggers() {
    return entries.values().stream().map(entry -> entry.settings).toList();
  }

  Optional<Instant> lastFired(String trigger) {
    return Optional.ofNullable(lastFired.get(trigger));
  }

  private Instant plan(Entry entry, Instant now) {
    entry.catchUp = false;
    CronSettings trigger = entry.settings;
    Instant last = lastFired.get(trigger.name());
    if (last == null) {
      return entry.schedule.next(now, trigger.timezone());
    }
    Instant first = entry.schedule.next(last, trigger.timezone());
    Instant cutoff = now.minus(lateTolerance);
    if (first.isAfter(cutoff)) {
      return first;
    }
    Instant next = switch (trigger.missed()) {
      case SKIP -> entry.schedule.next(cutoff, trigger.timezone());
      // first <= cutoff, so a latest tick at or before the cutoff exists and is after last
      case ONCE -> entry.schedule.latest(cutoff, trigger.timezone()).orElse(first);
    };
    // A catch-up tick is late by design: it must not be taken for missed again.
    entry.catchUp = trigger.missed() == CronSettings.Missed.ONCE;
    LOG.info("cron ticks missed trigger={} missed={} lastFired={} firstMissed={} next={}", trigger.name(),
        trigger.missed().name().toLowerCase(Locale.ROOT), last, first, next);
    return next;
  }

  private static Instant latest(Instant a, Instant b) {
    return b == null || a.isAfter(b) ? a : b;
  }

  private static final class Entry {
    private final CronSettings settings;
    private final CronSchedule schedule;
    private Instant nextDue;
    private boolean catchUp;

    private Entry(CronSettings settings) {
      this.settings = settings;
      this.schedule = CronSchedule.parse(settings.schedule());
    }
  }
}
