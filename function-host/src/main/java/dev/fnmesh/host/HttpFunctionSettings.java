package dev.fnmesh.host;

import java.net.URI;
import java.time.Duration;
import java.util.Locale;

/**
 * A function reached over HTTP with CloudEvents (as Knative and Cloud Run functions are): where it
 * listens and how events are sent to it. Validated here, where the configuration enters.
 *
 * @param url the absolute {@code http} or {@code https} URL every event is POSTed to
 * @param structured {@code true} sends {@code application/cloudevents+json}; {@code false} (the default)
 *     sends binary mode, the attributes as {@code ce-*} headers and the data as the body
 * @param concurrency requests in flight at once, from 1 to {@value #MAX_CONCURRENCY}; more wait in a
 *     first-in first-out queue (default {@value #DEFAULT_CONCURRENCY})
 * @param requestTimeout how long one request may take before its connection is given up; a backstop that
 *     frees connections, set above the delivery timeout of the triggers that use the function, which cuts
 *     attempts off first (default {@link #DEFAULT_REQUEST_TIMEOUT})
 */
public record HttpFunctionSettings(URI url, boolean structured, int concurrency, Duration requestTimeout) {

  public static final int DEFAULT_CONCURRENCY = 100;
  public static final int MAX_CONCURRENCY = 10_000;
  /** Cloud Run's default request timeout. */
  public static final Duration DEFAULT_REQUEST_TIMEOUT = Duration.ofMinutes(5);

  public HttpFunctionSettings {
    String scheme = url == null || url.getScheme() == null ? "" : url.getScheme().toLowerCase(Locale.ROOT);
    if (!(scheme.equals("http") || scheme.equals("https")) || url.getHost() == null) {
      throw new IllegalArgumentException("http: must be an absolute http or https URL with a host, got \"" + url
          + "\"");
    }
    if (concurrency < 1 || concurrency > MAX_CONCURRENCY) {
      throw new IllegalArgumentException("concurrency: must be an integer between 1 and " + MAX_CONCURRENCY + ", got "
          + concurrency);
    }
    if (requestTimeout == null || requestTimeout.isNegative() || requestTimeout.isZero()) {
      throw new IllegalArgumentException("requestTimeout: must be a positive duration, got " + requestTimeout);
    }
  }

  /** Binary mode, {@value #DEFAULT_CONCURRENCY} requests in flight, the default request timeout. */
  public static HttpFunctionSettings of(URI url) {
    return new HttpFunctionSettings(url, false, DEFAULT_CONCURRENCY, DEFAULT_REQUEST_TIMEOUT);
  }

  public HttpFunctionSettings withConcurrency(int newConcurrency) {
    return new HttpFunctionSettings(url, structured, newConcurrency, requestTimeout);
  }

  public HttpFunctionSettings withStructured(boolean newStructured) {
    return new HttpFunctionSettings(url, newStructured, concurrency, requestTimeout);
  }
}
