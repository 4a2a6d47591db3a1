package dev.fnmesh.broker.webhook;

import dev.fnmesh.broker.EventProblem;
import io.cloudevents.core.builder.CloudEventBuilder;
import io.vertx.core.MultiMap;

import java.net.URI;
import java.net.URISyntaxException;
import java.time.Clock;
import java.time.OffsetDateTime;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;

/**
 * Turns a webhook request into a CloudEvent 1.0: id, type, source and subject from the webhook's mappings
 * (else its provider's, else the defaults), {@code time} now, and the raw body as data with the request's
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
   * @return the event, or a 400 problem naming the attribute whose mapping found nothing usable
   */
  public Normalized normalize(WebhookSettings settings, MultiMap headers, byte[] body) {
    RequestValues request = new RequestValues(headers, body);
    Map<String, String> values = new HashMap<>();
    for (String attribute : MAPPED) {
      Optional<RequestValues.Lookup> lookup = lookup(settings, attribute, request);
      if (lookup.isEmpty()) {
        continue;
      }
      if (lookup.get() instanceof RequestValues.Lookup.NotFound notFound) {
        return refuse(attribute, attribute + ": " + notFound.reason());
      }
      values.put(attribute, ((RequestValues.Lookup.Found) lookup.get()).value());
    }
    String source = values.getOrDefault("source", defaultSource(settings.path()));
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
   * @return what the attribute's mapping found, or empty when the attribute takes its default: it has no
   *     mapping, or only a provider preset that yields to the default when it finds nothing
   */
  private static Optional<RequestValues.Lookup> lookup(WebhookSettings settings, String attribute,
      RequestValues request) {
    Optional<ValueMapping> declared = settings.mappings().forAttribute(attribute);
    if (declared.isPresent()) {
      return Optional.of(request.read(declared.get()));
    }
    if (settings.provider().isEmpty()) {
      return Optional.empty();
    }
    Provider provider = settings.provider().get();
    Optional<RequestValues.Lookup> preset = provider.mappings().forAttribute(attribute).map(request::read);
    boolean yields = provider.fallsBackToDefault(attribute)
        && preset.filter(RequestValues.Lookup.NotFound.class::isInstance).isPresent();
    return yields ? Optional.empty() : preset;
  }

  private static Normalized refuse(String attribute, String message) {
    return new Normalized.Refused(EventProblem.badRequest(attribute, message));
  }
}
