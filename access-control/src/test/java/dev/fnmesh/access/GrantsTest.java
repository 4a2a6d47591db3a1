package dev.fnmesh.access;

import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Optional;

import static org.junit.jupiter.api.Assertions.assertEquals;

class GrantsTest {

  private final Grants shop = new Grants(List.of("orders", "shop.*"), List.of("greet*"), false, false);

  @Test
  void namesAndGlobsGrantWhatTheyMatchAndNothingElse() {
    assertEquals(Optional.empty(), shop.lacking(new Need.Publish("orders")));
    assertEquals(Optional.empty(), shop.lacking(new Need.Publish("shop.orders.eu")));
    assertEquals(Optional.of("publish:orders2"), shop.lacking(new Need.Publish("orders2")));
    assertEquals(Optional.of("publish:shopx"), shop.lacking(new Need.Publish("shopx")));
    assertEquals(Optional.empty(), shop.lacking(new Need.Invoke("greeter")));
    assertEquals(Optional.of("invoke:resize"), shop.lacking(new Need.Invoke("resize")));
    assertEquals(Optional.of("read"), shop.lacking(new Need.Read()));
    assertEquals(Optional.of("admin"), shop.lacking(new Need.Admin()));
    assertEquals(Optional.empty(), shop.lacking(new Need.Known()));
  }

  @Test
  void aDotInAGlobIsADotNotAnyCharacter() {
    Grants dotted = new Grants(List.of("shop.orders"), List.of(), false, false);
    assertEquals(Optional.of("publish:shopXorders"), dotted.lacking(new Need.Publish("shopXorders")));
  }

  @Test
  void adminGrantsEverythingAndReadGrantsReading() {
    Grants admin = new Grants(List.of(), List.of(), false, true);
    assertEquals(Optional.empty(), admin.lacking(new Need.Admin()));
    assertEquals(Optional.empty(), admin.lacking(new Need.Publish("anything")));
    assertEquals(Optional.empty(), new Grants(List.of(), List.of(), true, false).lacking(new Need.Read()));
  }

  @Test
  void aScopeClaimGrantsWhatItNames() {
    assertEquals(new Grants(List.of("orders"), List.of("greeter"), true, false),
        Grants.fromScope("publish:orders invoke:greeter read openid profile"));
    assertEquals(Grants.NONE, Grants.fromScope(""));
    assertEquals(new Grants(List.of(), List.of(), false, true), Grants.fromScope("  admin "));
  }
}
