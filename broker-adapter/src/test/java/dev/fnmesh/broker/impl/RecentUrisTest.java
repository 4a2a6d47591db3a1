package dev.fnmesh.broker.impl;

import org.junit.jupiter.api.Test;

import java.net.URI;
import java.net.URISyntaxException;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;

class RecentUrisTest {

  @Test
  void theSameTextGivesTheUriParsedBefore() throws Exception {
    RecentUris uris = new RecentUris(4);

    URI first = uris.parse("https://example.com/orders");

    assertSame(first, uris.parse("https://example.com/orders"));
    assertEquals(new URI("https://example.com/orders"), first);
  }

  @Test
  void textThatIsNoUriFailsAsTheConstructorDoesEveryTime() {
    RecentUris uris = new RecentUris(4);

    URISyntaxException first = assertThrows(URISyntaxException.class, () -> uris.parse("a b"));
    URISyntaxException again = assertThrows(URISyntaxException.class, () -> uris.parse("a b"));

    assertEquals(assertThrows(URISyntaxException.class, () -> new URI("a b")).getMessage(), first.getMessage());
    assertEquals(first.getMessage(), again.getMessage());
  }

  @Test
  void pastItsCapacityItStartsOverAndStillParsesCorrectly() throws Exception {
    RecentUris uris = new RecentUris(2);
    URI a = uris.parse("/a");
    uris.parse("/b");
    uris.parse("/c");

    URI aAgain = uris.parse("/a");

    assertNotSame(a, aAgain);
    assertEquals(a, aAgain);
  }
}
