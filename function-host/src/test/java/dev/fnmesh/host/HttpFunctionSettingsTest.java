package dev.fnmesh.host;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.api.Test;

import java.net.URI;
import java.time.Duration;

/** Settings of an HTTP function are checked where they enter, with messages naming field and value. */
class HttpFunctionSettingsTest {

  @Test
  void defaultsToBinaryModeAHundredRequestsInFlightAndFiveMinutesPerRequest() {
    HttpFunctionSettings settings = HttpFunctionSettings.of(URI.create("https://fn.example.com/run"));

    assertFalse(settings.structured());
    assertEquals(100, settings.concurrency());
    assertEquals(Duration.ofMinutes(5), settings.requestTimeout());
  }

  @Test
  void refusesAUrlThatIsNotAnAbsoluteHttpUrl() {
    IllegalArgumentException relative = assertThrows(IllegalArgumentException.class,
        () -> HttpFunctionSettings.of(URI.create("/run")));
    IllegalArgumentException ftp = assertThrows(IllegalArgumentException.class,
        () -> HttpFunctionSettings.of(URI.create("ftp://fn.example.com/run")));

    assertEquals("http: must be an absolute http or https URL with a host, got \"/run\"", relative.getMessage());
    assertEquals("http: must be an absolute http or https URL with a host, got \"ftp://fn.example.com/run\"",
        ftp.getMessage());
  }

  @Test
  void refusesAConcurrencyBelowOne() {
    IllegalArgumentException refused = assertThrows(IllegalArgumentException.class,
        () -> HttpFunctionSettings.of(URI.create("http://fn:8080/")).withConcurrency(0));

    assertEquals("concurrency: must be an integer between 1 and 10000, got 0", refused.getMessage());
  }
}
