package dev.fnmesh.broker.impl;

import java.util.Optional;

/**
 * The CloudEvents 1.0 type String: "the control characters in the range U+0000-U+001F and U+007F-U+009F,
 * code points identified as noncharacters by Unicode, [and] Surrogates ... unless used properly in pairs"
 * MUST NOT be used. Checked where attribute values enter, since Kafka headers are UTF-8 and would turn an
 * unpaired surrogate into '?' unnoticed.
 */
public final class CloudEventStrings {

  private CloudEventStrings() {}

  /** @return what makes the value no CloudEvents string, or empty when it is one */
  public static Optional<String> problem(String value) {
    for (int i = 0; i < value.length(); i++) {
      char c = value.charAt(i);
      if (Character.isHighSurrogate(c) && i + 1 < value.length() && Character.isLowSurrogate(value.charAt(i + 1))) {
        int codePoint = value.codePointAt(i);
        if (isNoncharacter(codePoint)) {
          return Optional.of(describe(codePoint, i, "a noncharacter"));
        }
        i++;
      } else if (Character.isSurrogate(c)) {
        return Optional.of(describe(c, i, "half of a surrogate pair"));
      } else if (c <= 0x1F || c >= 0x7F && c <= 0x9F) {
        return Optional.of(describe(c, i, "a control character"));
      } else if (isNoncharacter(c)) {
        return Optional.of(describe(c, i, "a noncharacter"));
      }
    }
    return Optional.empty();
  }

  private static boolean isNoncharacter(int codePoint) {
    return codePoint >= 0xFDD0 && codePoint <= 0xFDEF || (codePoint & 0xFFFE) == 0xFFFE;
  }

  private static String describe(int codePoint, int index, String what) {
    return String.format("holds %s, U+%04X, at index %d; CloudEvents strings may not hold control characters, "
        + "noncharacters or unpaired surrogates", what, codePoint, index);
  }
}
