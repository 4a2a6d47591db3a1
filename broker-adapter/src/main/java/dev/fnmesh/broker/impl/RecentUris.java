package dev.fnmesh.broker.impl;

import java.net.URI;
import java.net.URISyntaxException;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * URIs parsed lately, by their text: the same text gives the same (immutable) {@link URI} without parsing it
 * again. Bounded: past {@code capacity} texts it starts over, so unique values cost a parse each, as without it.
 * Safe to share between threads; text that is no URI is never kept and fails as {@code new URI} does.
 */
final class RecentUris {

  private final int capacity;
  private final Map<String, URI> parsed = new ConcurrentHashMap<>();

  RecentUris(int capacity) {
    this.capacity = capacity;
  }

  URI parse(String text) throws URISyntaxException {
    URI known = parsed.get(text);
    if (known != null) {
      return known;
    }
    URI uri = new URI(text);
    if (parsed.size() >= capacity) {
      parsed.clear();
    }
    parsed.put(text, uri);
    return uri;
  }
}
