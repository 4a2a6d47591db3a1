package dev.fnmesh.host.impl.http;

import dev.fnmesh.broker.DecodedEvents;
import dev.fnmesh.broker.HttpEventDecoder;
import dev.fnmesh.function.PermanentFailure;
import io.cloudevents.CloudEvent;
import io.cloudevents.core.builder.CloudEventBuilder;
import io.vertx.core.Future;
import io.vertx.core.MultiMap;
import io.vertx.core.buffer.Buffer;
import io.vertx.ext.web.client.HttpResponse;

import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Locale;
import java.util.UUID;

/**
 * Turns a function's HTTP response into the outcome of one invocation: a CloudEvent answer (binary or
 * structured mode) is the reply, a CloudEvents JSON batch ({@code application/cloudevents-batch+json}, HTTP
 * binding §3.3) is zero or more replies, an empty 2xx is no reply, any other 2xx body becomes the data of a reply. A client error (4xx but 408
 * and 429) is permanent, since sending the same event again cannot fix it; every other status is a failed
 * attempt that the trigger's delivery policy may retry.
 */
final class HttpReplies {

  static final String REPLY_TYPE = "dev.fnmesh.function.reply";
  private static final int SNIPPET_CHARS = 200;

  private final String functionName;
  // As messages show it: without user information.
  private final String url;
  private final HttpEventDecoder decoder;

  /** @param url the function's URL as messages show it, without user information */
  HttpReplies(String functionName, String url, HttpEventDecoder decoder) {
    this.functionName = functionName;
    this.url = url;
    this.decoder = decoder;
  }

  Future<List<CloudEvent>> outcome(CloudEvent request, HttpResponse<Buffer> response) {
    int status = response.statusCode();
    Buffer body = response.body() == null ? Buffer.buffer() : response.body();
    if (status >= 200 && status < 300) {
      return reply(request, response.headers(), body);
    }
    return Future.failedFuture(refusal("event id=" + request.getId(), response));
  }

  /**
   * Why a status other than 2xx failed the call: a {@link PermanentFailure} for a client error but 408 and 429.
   *
   * @param sent what was sent, for the message: {@code event id=...}, {@code a batch of ...}
   */
  RuntimeException refusal(String sent, HttpResponse<Buffer> response) {
    int status = response.statusCode();
    Buffer body = response.body() == null ? Buffer.buffer() : response.body();
    String answer = "function '" + functionName + "' at " + url + " answered " + status + " "
        + response.statusMessage() + " to " + sent + snippet(body);
    if (status >= 400 && status < 500 && status != 408 && status != 429) {
      return new PermanentFailure(answer + "; a client error is not retried, since sending the same "
          + (sent.startsWith("event") ? "event" : "events") + " again cannot fix it");
    }
    return new IllegalStateException(answer);
  }

  private Future<List<CloudEvent>> reply(CloudEvent request, MultiMap headers, Buffer body) {
    if (isCloudEvent(headers)) {
      DecodedEvents decoded = decoder.decode(headers, body);
      if (decoded instanceof DecodedEvents.Refused refused) {
        return Future.failedFuture(new IllegalStateException("function '" + functionName + "' at " + url
            + " answered an invalid CloudEvent to event id=" + request.getId() + ": " + refused.problem().field() + ": "
            + refused.problem().message()));
      }
      return Future.succeededFuture(((DecodedEvents.Accepted) decoded).events());
    }
    if (body.length() == 0) {
      return Future.succeededFuture(List.of());
    }
    CloudEventBuilder reply = CloudEventBuilder.v1()
        .withId(UUID.randomUUID().toString())
        .withSource(URI.create("/functions/" + functionName))
        .withType(REPLY_TYPE)
        .withSubject(request.getId());
    String contentType = headers.get("content-type");
    return Future.succeededFuture(List.of(contentType == null
        ? reply.withData(body.getBytes()).build()
        : reply.withData(contentType, body.getBytes()).build()));
  }

  // HTTP binding §3: binary mode carries ce-* headers, structured and batch mode an application/cloudevents type.
  private static boolean isCloudEvent(MultiMap headers) {
    String contentType = headers.get("content-type");
    if (contentType != null && contentType.trim().toLowerCase(Locale.ROOT).startsWith("application/cloudevents")) {
      return true;
    }
    for (String name : headers.names()) {
      if (name.regionMatches(true, 0, "ce-", 0, 3)) {
        return true;
      }
    }
    return false;
  }

  static String snippet(Buffer body) {
    if (body.length() == 0) {
      return " with an empty body";
    }
    String text = body.getString(0, Math.min(body.length(), SNIPPET_CHARS * 4), StandardCharsets.UTF_8.name());
    String flat = text.replaceAll("\\s+", " ").trim();
    return ": " + (flat.length() > SNIPPET_CHARS ? flat.substring(0, SNIPPET_CHARS) + "…" : flat);
  }
}
