package dev.fnmesh.mesh;

import java.net.URI;
import java.util.Objects;

/**
 * A function reached at a URL, CloudEvents POSTed to it: {@code http:}.
 *
 * @param url the absolute http or https URL, with a host
 * @param concurrency the most events the function is sent at once
 * @param maxWaiting how many calls may wait for a free slot before a synchronous call ({@code /functions/{name}})
 *     is refused; a trigger's deliveries always wait, bounded by their consumer
 * @param structured whether events are sent in structured mode ({@code application/cloudevents+json})
 *     rather than binary mode
 */
public record HttpKind(URI url, int concurrency, int maxWaiting, boolean structured) implements FunctionKind {

  /** Whether events are sent in structured mode when the mesh file does not say, as in the schema. */
  public static final boolean DEFAULT_STRUCTURED = false;

  /**
   * @throws IllegalArgumentException when the URL is no absolute http or https URL with a host, or concurrency
   *     or maxWaiting is out of the schema's range
   */
  public HttpKind {
    Objects.requireNonNull(url, "url");
    String scheme = url.getScheme();
    if (!("http".equals(scheme) || "https".equals(scheme)) || url.getHost() == null) {
      throw new IllegalArgumentException("http must be an absolute http or https URL with a host, got " + url);
    }
    FunctionKind.checkConcurrency(concurrency);
    FunctionKind.checkMaxWaiting(maxWaiting);
  }

  @Override
  public String yamlName() {
    return "http";
  }

  /** The URL as messages, logs and API answers show it: {@link #withoutUserInfo without its user information}. */
  public String shownUrl() {
    return withoutUserInfo(url.toString());
  }

  /**
   * A URL's text with its user information, a user and password that are secrets, replaced by
   * {@code <redacted>}: {@code https://user:pw@host/path} becomes {@code https://<redacted>@host/path}. Any
   * other text is returned as it is.
   */
  public static String withoutUserInfo(String url) {
    int start = url.indexOf("://");
    if (start < 0) {
      return url;
    }
    int authority = start + 3;
    int end = authority;
    while (end < url.length() && "/?#".indexOf(url.charAt(end)) < 0) {
      end++;
    }
    int at = url.lastIndexOf('@', end - 1);
    return at < authority ? url : url.substring(0, authority) + "<redacted>" + url.substring(at);
  }
}
