package dev.fnmesh.broker;

import io.cloudevents.CloudEvent;
import io.cloudevents.core.builder.CloudEventBuilder;
import io.vertx.core.MultiMap;
import org.junit.jupiter.api.Test;

import java.net.URI;
import java.time.OffsetDateTime;

import static org.junit.jupiter.api.Assertions.assertEquals;

class HttpEventEncoderTest {

  @Test
  void percentEncodesSpaceQuotePercentAndNonAsciiButNothingElse() {
    assertEquals("plain-value_1.2~!", HttpEventEncoder.encode("plain-value_1.2~!"));
    assertEquals("Caf%C3%A9%20%22100%25%22", HttpEventEncoder.encode("Café \"100%\""));
  }

  @Test
  void writesEveryAttributeAsAHeaderAndTheTimeWithSeconds() {
    CloudEvent event = CloudEventBuilder.v1().withId("1").withSource(URI.create("/s")).withType("t")
        .withSubject("a b").withTime(OffsetDateTime.parse("2026-11-29T10:15:00Z"))
        .withDataContentType("text/plain").withExtension("tenant", "acme").withExtension("n", 3).build();
    MultiMap headers = MultiMap.caseInsensitiveMultiMap();

    HttpEventEncoder.writeHeaders(event, headers);

    assertEquals("1.0", headers.get("ce-specversion"));
    assertEquals("a%20b", headers.get("ce-subject"));
    assertEquals("2026-11-29T10:15:00Z", headers.get("ce-time"));
    assertEquals("text/plain", headers.get("content-type"));
    assertEquals("acme", headers.get("ce-tenant"));
    assertEquals("3", headers.get("ce-n"));
  }
}
