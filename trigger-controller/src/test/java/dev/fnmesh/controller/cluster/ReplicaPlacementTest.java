package dev.fnmesh.controller.cluster;

import org.junit.jupiter.api.Test;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ReplicaPlacementTest {

  @Test
  void replicasThatDivideEvenlyGiveEveryHostTheSameShare() {
    assertEquals(Map.of("a", 2, "b", 2, "c", 2), ReplicaPlacement.place("work", 6, List.of("c", "a", "b")));
  }

  @Test
  void theOddReplicasGoToDifferentHostsAndTheTotalIsKept() {
    Map<String, Integer> placement = ReplicaPlacement.place("work", 5, List.of("a", "b", "c"));
    assertEquals(5, placement.values().stream().mapToInt(Integer::intValue).sum());
    assertTrue(placement.values().stream().allMatch(share -> share == 1 || share == 2), placement.toString());
  }

  @Test
  void fewerReplicasThanHostsNameOnlyTheHostsThatRunOne() {
    Map<String, Integer> placement = ReplicaPlacement.place("work", 2, List.of("a", "b", "c", "d"));
    assertEquals(2, placement.size());
    assertTrue(placement.values().stream().allMatch(share -> share == 1));
  }

  @Test
  void theSingleReplicasOfManyTriggersAreSpreadOverTheHosts() {
    Map<String, Integer> perHost = new HashMap<>();
    for (int i = 0; i < 30; i++) {
      ReplicaPlacement.place("trigger-" + i, 1, List.of("a", "b", "c")).forEach((host, n) -> perHost.merge(host, n, Integer::sum));
    }
    assertEquals(Set.of("a", "b", "c"), perHost.keySet(), "every host runs some: " + perHost);
  }

  @Test
  void theSameInputsGiveTheSamePlacementWhateverTheOrderOfTheHosts() {
    assertEquals(ReplicaPlacement.place("work", 7, List.of("x", "y", "z")),
        ReplicaPlacement.place("work", 7, List.of("z", "x", "y")));
  }

  @Test
  void withoutHostsOrReplicasNothingIsPlaced() {
    assertEquals(Map.of(), ReplicaPlacement.place("work", 4, List.of()));
    assertEquals(Map.of(), ReplicaPlacement.place("work", 0, List.of("a", "b")));
  }

  @Test
  void aHostLeavingMovesItsReplicasToTheOthers() {
    Map<String, Integer> after = ReplicaPlacement.place("work", 6, List.of("a", "c"));
    assertEquals(Map.of("a", 3, "c", 3), after);
  }

  @Test
  void negativeReplicasAreRefused() {
    var error = assertThrows(IllegalArgumentException.class, () -> ReplicaPlacement.place("work", -1, List.of("a")));
    assertTrue(error.getMessage().contains("-1"), error.getMessage());
  }
}
