package dev.fnmesh.mesh;

import java.util.Objects;

/**
 * Where a trigger stands in a sequence declared by {@code steps:}: the declared trigger runs step 1, and each
 * later step is a trigger of its own, {@code <sequence>-step-<n>}, consuming the internal topic
 * {@code fnmesh.step.<sequence>.<n>} that the step before replies to.
 *
 * @param sequence the name of the trigger that declares the steps
 * @param number this step's number, from 1
 * @param steps how many steps the sequence has
 */
public record SequenceStep(String sequence, int number, int steps) {

  public SequenceStep {
    Objects.requireNonNull(sequence, "sequence");
    if (number < 1 || number > steps) {
      throw new IllegalArgumentException("step " + number + " of " + steps + " does not exist");
    }
  }

  /** The name of the trigger that runs step {@code number} of {@code sequence}. */
  public static String triggerName(String sequence, int number) {
    return number == 1 ? sequence : sequence + "-step-" + number;
  }

  /** The internal topic step {@code number} (2 or more) of {@code sequence} consumes. */
  public static String topic(String sequence, int number) {
    return TopicSpec.FNMESH_PREFIX + "step." + sequence + "." + number;
  }
}
