package dev.fnmesh.launcher;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.util.Optional;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class HttpAddressTest {

  @ParameterizedTest
  @ValueSource(strings = {"127.0.0.1", "127.0.0.2", "localhost", "::1"})
  void aLoopbackAddressIsAllowedWithoutFurtherAsking(String host) {
    HttpAddress address = new HttpAddress(host, 8080);

    assertTrue(address.loopback(), host);
    assertEquals(Optional.empty(), address.refusal(false));
  }

  @ParameterizedTest
  @ValueSource(strings = {"0.0.0.0", "::", "192.0.2.10"})
  void anAddressTheNetworkReachesIsRefusedNamingWhatToDoUnlessInsecureWasAsked(String host) {
    HttpAddress address = new HttpAddress(host, 8080);

    String refusal = address.refusal(false).orElseThrow();
    assertTrue(refusal.startsWith("--http-host " + host + " lets the network reach"), refusal);
    assertTrue(refusal.contains("127.0.0.1") && refusal.contains("--insecure"), refusal);
    assertEquals(Optional.empty(), address.refusal(true));
  }

  @Test
  void theDefaultIsThisMachineOnly() {
    assertEquals(new HttpAddress("127.0.0.1", 8080), HttpAddress.loopback(8080));
    assertTrue(HttpAddress.loopback(0).loopback());
  }

  @Test
  void theUrlShownToPeopleOnThisMachineNamesLocalhostForLoopbackAndWildcards() {
    assertEquals("http://localhost:8080", HttpAddress.loopback(0).url(8080));
    assertEquals("http://localhost:8080", new HttpAddress("0.0.0.0", 0).url(8080));
    assertEquals("http://192.0.2.10:8080", new HttpAddress("192.0.2.10", 0).url(8080));
    assertEquals("http://[2001:db8::1]:8080", new HttpAddress("2001:db8::1", 0).url(8080));
  }

  @Test
  void aPortOutsideTheRangeIsRefused() {
    assertEquals("the HTTP port must be between 0 and 65535, got 70000",
        assertThrows(IllegalArgumentException.class, () -> new HttpAddress("127.0.0.1", 70_000)).getMessage());
  }
}
