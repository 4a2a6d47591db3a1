package dev.fnmesh.controller.scale;

import dev.fnmesh.mesh.StartFrom;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.time.Instant;
import java.util.List;
import java.util.OptionalLong;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

class PartitionLagTest {

  private static final long NONE = -1;

  @ParameterizedTest(name = "log {0}..{1}, committed {2}, {3} → counted from {4}, lag {5}")
  @CsvSource({
      "0,   100, 40,  earliest, 40,  60",
      "0,   100, 40,  latest,   40,  60",
      "0,   100, -1,  earliest, 0,   100",
      "30,  100, -1,  earliest, 30,  70",
      "30,  100, -1,  latest,   100, 0",
      "30,  100, 10,  earliest, 30,  70",
      "30,  100, 10,  latest,   100, 0",
      "30,  100, 30,  latest,   30,  70",
      "0,   100, 100, earliest, 100, 0",
      "0,   100, 150, earliest, 150, 0",
      "0,   0,   -1,  earliest, 0,   0"})
  void theLagIsCountedFromWhereTheGroupsConsumerWillReadNext(long logStart, long end, long committed,
      String startFrom, long expectedStart, long expectedLag) {
    OptionalLong commit = committed == NONE ? OptionalLong.empty() : OptionalLong.of(committed);

    PartitionLag lag = PartitionLag.of(3, logStart, end, commit, StartFrom.fromYaml(startFrom));

    assertEquals(new PartitionLag(3, end, commit, expectedStart, expectedLag), lag);
  }

  @Test
  void aStartByTimeCountsFromItsOffsetWithinTheLog() {
    assertEquals(new PartitionLag(0, 100, OptionalLong.empty(), 70, 30),
        PartitionLag.of(0, 30, 100, OptionalLong.empty(), 70));
    assertEquals(new PartitionLag(0, 100, OptionalLong.empty(), 30, 70),
        PartitionLag.of(0, 30, 100, OptionalLong.empty(), 10), "an offset retention removed counts from the log start");
    assertEquals(new PartitionLag(0, 100, OptionalLong.of(50), 50, 50),
        PartitionLag.of(0, 30, 100, OptionalLong.of(50), 70), "a committed offset wins");
  }

  @Test
  void aNegativeLagIsRefused() {
    assertEquals("lag of partition 2 must be 0 or more, got -1", assertThrows(IllegalArgumentException.class,
        () -> new PartitionLag(2, 5, OptionalLong.empty(), 6, -1)).getMessage());
  }

  @Test
  void aReportSumsTheLagAndCountsThePartitionsWithLag() {
    LagReport report = new LagReport("t", "g", List.of(
        PartitionLag.of(1, 0, 10, OptionalLong.of(10), StartFrom.EARLIEST),
        PartitionLag.of(0, 0, 10, OptionalLong.of(4), StartFrom.EARLIEST),
        PartitionLag.of(2, 5, 12, OptionalLong.empty(), StartFrom.EARLIEST)), Instant.EPOCH);

    assertEquals(13, report.totalLag());
    assertEquals(2, report.partitionsWithLag());
    assertEquals(List.of(0, 1, 2), report.partitions().stream().map(PartitionLag::partition).toList());
    assertEquals(7, report.partition(2).lag());
  }

  @Test
  void aTotalLagThatWouldOverflowIsTheLargestLong() {
    LagReport report = new LagReport("t", "g", List.of(
        new PartitionLag(0, Long.MAX_VALUE, OptionalLong.empty(), 0, Long.MAX_VALUE),
        new PartitionLag(1, 10, OptionalLong.empty(), 0, 10)), Instant.EPOCH);

    assertEquals(Long.MAX_VALUE, report.totalLag());
  }
}
