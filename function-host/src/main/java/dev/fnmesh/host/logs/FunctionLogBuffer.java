package dev.fnmesh.host.logs;

import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import io.vertx.core.eventbus.Message;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

import java.util.ArrayDeque;
import java.util.HashMap;
import java.util.Map;

/**
 * Keeps the recent log of each function in memory: the last {@link #maxLines} entries and at most
 * {@link #maxBytes} of them per function, the oldest dropped first. It alone owns them, on its own context:
 * entries arrive over the event bus ({@link FunctionLogs#record}), answers to "what is recent" leave by it, and
 * each kept entry is published, numbered, to its function's live address for those who follow.
 */
public final class FunctionLogBuffer extends VerticleBase {

  /** Entries kept per function at most. */
  public static final int MAX_LINES = 1000;
  /** Bytes of entries kept per function at most, as {@link FunctionLogEntry} counts them. */
  public static final int MAX_BYTES = 512 * 1024;
  /** Functions kept at most: a mesh changed many times leaves the logs of functions it no longer has. */
  static final int MAX_FUNCTIONS = 1024;

  private final int maxLines;
  private final int maxBytes;
  private final Map<String, Kept> functions = new HashMap<>();
  private long sequence;

  public FunctionLogBuffer() {
    this(MAX_LINES, MAX_BYTES);
  }

  FunctionLogBuffer(int maxLines, int maxBytes) {
    this.maxLines = maxLines;
    this.maxBytes = maxBytes;
  }

  @Override
  public Future<?> start() {
    return Future.all(
        vertx.eventBus().<JsonObject>localConsumer(FunctionLogs.RECORD_ADDRESS, this::keep).completion(),
        vertx.eventBus().<String>localConsumer(FunctionLogs.RECENT_ADDRESS, this::recent).completion());
  }

  private void keep(Message<JsonObject> message) {
    JsonObject entry = message.body().copy().put("seq", ++sequence);
    String function = entry.getString("function");
    Kept kept = functions.get(function);
    if (kept == null) {
      if (functions.size() >= MAX_FUNCTIONS) {
        functions.clear();
      }
      kept = new Kept();
      functions.put(function, kept);
    }
    kept.add(entry, FunctionLogEntry.bytes(entry));
    vertx.eventBus().publish(FunctionLogs.liveAddress(function), entry, FunctionLogs.local());
  }

  /** Answers with the function's kept entries, oldest first, each with its {@code seq}. */
  private void recent(Message<String> request) {
    Kept kept = functions.get(request.body());
    JsonArray entries = new JsonArray();
    if (kept != null) {
      kept.entries.forEach(entry -> entries.add(entry.json()));
    }
    request.reply(entries);
  }

  private record Sized(JsonObject json, int bytes) {}

  private final class Kept {
    final ArrayDeque<Sized> entries = new ArrayDeque<>();
    int bytes;

    void add(JsonObject entry, int size) {
      entries.addLast(new Sized(entry, size));
      bytes += size;
      while (entries.size() > maxLines || (bytes > maxBytes && entries.size() > 1)) {
        bytes -= entries.removeFirst().bytes();
      }
    }
  }
}
