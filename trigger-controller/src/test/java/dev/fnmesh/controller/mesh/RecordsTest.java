package dev.fnmesh.controller.mesh;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.api.Test;

import java.util.List;

/** The records refuse values the mesh file could not have produced, so code building them directly is safe. */
class RecordsTest {

  @Test
  void shouldRefuseAPartitionCountOutsideTheSchemaRange() {
    assertThrows(IllegalArgumentException.class, () -> new KafkaSource("t", 0, StartFrom.EARLIEST));
    assertThrows(IllegalArgumentException.class, () -> new KafkaSource("t", 10_001, StartFrom.EARLIEST));
  }

  @Test
  void shouldReadStartFromOnlyInTheSpellingOfTheFile() {
    assertEquals(StartFrom.LATEST, StartFrom.fromYaml("latest"));
    assertThrows(IllegalArgumentException.class, () -> StartFrom.fromYaml("LATEST"));
  }

  @Test
  void shouldRefuseAnInvalidMeshWithoutProblems() {
    assertThrows(IllegalArgumentException.class, () -> new InvalidMeshException(List.of()));
  }

  @Test
  void shouldFormatAProblemAsCompilersDo() {
    assertEquals("mesh.yaml:7:5: triggers.greet.kafka.partitions: must be an integer",
        new MeshProblem("mesh.yaml", 7, 5, "triggers.greet.kafka.partitions", "must be an integer").toString());
    assertEquals("mesh.yaml:1:1: the file is empty",
        new MeshProblem("mesh.yaml", 1, 1, "", "the file is empty").toString());
  }
}
