package dev.fnmesh.broker.webhook;

import dev.fnmesh.broker.EventProblem;
import dev.fnmesh.broker.impl.CloudEventStrings;
import dev.fnmesh.mesh.ValueSpec;
import dev.fnmesh.mesh.WebhookSource;
import io.cloudevents.core.builder.CloudEventBuilder;
import io.vertx.core.MultiMap;

import java.net.URI;
import java.net.URISyntaxException;
import java.time.Clock;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;

/**
 * Turns a webhook request into a CloudEvent 1.0: id, type, source and subject as the webhook declares them
 * (else as its provider's presets do, else the defaults), {@code time} now, and the raw body as data with the request's
 * content type.
 */
public final class WebhookNormalizer {

  public static final String DEFAULT_TYPE = "dev.fnmesh.webhook";
  public static final String DEFAULT_CONTENT_TYPE = "application/octet-stream";
  private static final List<String> MAPPED = List.of("id", "type", "source", "subject");

  private final Clock clock;

  public WebhookNormalizer() {
    this(Clock.systemUTC());
  }

  public WebhookNormalizer(Clock clock) {
    this.clock = clock;
  }

  /** The source of a webhook's events when nothing maps one: {@code /webhooks/<path>}. */
  public static String defaultSource(String path) {
    return "/webhooks/" + path;
  }

  /**
   * @param headers the request headers (case-insensitive)
   * @param body the raw request body, possibly empty
   * @return the event, or a 400 problem naming the attribute whose value found nothing usable
   */
  public Normalized normalize(WebhookTrigger webhook, MultiMap headers, byte[] body) {
    RequestValues request = new RequestValues(headers, body);
    Map<String, String> values = new HashMap<>();
    for (String attribute : MAPPED) {
      Optional<RequestValues.Lookup> lookup = lookup(webhook, attribute, request);
      if (lookup.isEmpty()) {
        continue;
      }
      if (lookup.get() instanceof RequestValues.Lookup.NotFound notFound) {
        return refuse(attribute, attribute + ": " + notFound.reason());
      }
      String value = ((RequestValues.Lookup.Found) lookup.get()).value();
      Optional<String> unusable = CloudEventStrings.problem(value);
      if (unusable.isPresent()) {
        return refuse(attribute, attribute + ": the value found " + unusable.get());
      }
      values.put(attribute, value);
    }
    String source = values.getOrDefault("source", defaultSource(webhook.path()));
    URI sourceUri;
    try {
      sourceUri = new URI(source);
    } catch (URISyntaxException e) {
      return refuse("source", "source: '" + source + "' is not a URI reference: " + e.getReason());
    }
    CloudEventBuilder event = CloudEventBuilder.v1()
        .withId(values.getOrDefault("id", UUID.randomUUID().toString()))
        .withType(values.getOrDefault("type", DEFAULT_TYPE))
        .withSource(sourceUri)
        .withTime(OffsetDateTime.now(clock));
    Optional.ofNullable(values.get("subject")).ifPresent(event::withSubject);
    if (body.length > 0) {
      String contentType = headers.get("content-type");
      event.withData(contentType == null || contentType.isBlank() ? DEFAULT_CONTENT_TYPE : contentType.strip(), body);
    }
    return new Normalized.Accepted(event.build());
  }

  /**
   * @return what the attribute's value found, or empty when the attribute takes its default: the webhook
   *     declares no value, and its provider none or a preset that yields to the default when none of its
   *     values finds anything
   */
  private static Optional<RequestValues.Lookup> lookup(WebhookTrigger webhook, String attribute,
      RequestValues request) {
    Optional<ValueSpec> declared = declared(webhook.source(), attribute);
    if (declared.isPresent()) {
      return Optional.of(request.read(declared.get()));
    }
    if (webhook.provider().isEmpty()) {
      return Optional.empty();
    }
    Provider provider = webhook.provider().get();
    List<ValueSpec> preset = provider.preset(attribute);
    if (preset.isEmpty()) {
      return Optional.empty();
    }
    List<String> reasons = new ArrayList<>();
    for (ValueSpec value : preset) {
      RequestValues.Lookup found = request.read(value);
      if (found instanceof RequestValues.Lookup.Found) {
        return Optional.of(found);
      }
      reasons.add(((RequestValues.Lookup.NotFound) found).reason());
    }
    return provider.fallsBackToDefault(attribute)
        ? Optional.empty()
        : Optional.of(new RequestValues.Lookup.NotFound(String.join(", and ", reasons)));
  }

  private static Optional<ValueSpec> declared(WebhookSource source, String attribute) {
    return switch (attribute) {
      case "type" -> source.type();
      case "source" -> source.source();
      case "subject" -> source.subject();
      case "id" -> source.id();
      default -> throw new IllegalArgumentException("no value for attribute '" + attribute + "'");
    };
  }

  private static Normalized refuse(String attribute, String message) {
    return new Normalized.Refused(EventProblem.badRequest(attribute, message));
  }
}
