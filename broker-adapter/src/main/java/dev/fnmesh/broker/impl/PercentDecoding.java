package dev.fnmesh.broker.impl;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;

/**
 * Strict percent-decoding of CloudEvents HTTP header values (binding §3.1.3.2): {@code %XX} sequences are
 * UTF-8 bytes; {@code +} stays a plus, unlike form decoding.
 */
final class PercentDecoding {

  private PercentDecoding() {}

  /** @throws IllegalArgumentException when a {@code %} is not followed by two hex digits or the bytes are not UTF-8 */
  static String decode(String value) {
    if (value.indexOf('%') < 0) {
      return value;
    }
    ByteArrayOutputStream bytes = new ByteArrayOutputStream(value.length());
    for (int i = 0; i < value.length(); i++) {
      char c = value.charAt(i);
      if (c != '%') {
        bytes.writeBytes(String.valueOf(c).getBytes(StandardCharsets.UTF_8));
        continue;
      }
      if (i + 2 >= value.length() || Character.digit(value.charAt(i + 1), 16) < 0
          || Character.digit(value.charAt(i + 2), 16) < 0) {
        throw new IllegalArgumentException("'%' must be followed by two hex digits in '" + value + "'");
      }
      bytes.write(Character.digit(value.charAt(i + 1), 16) * 16 + Character.digit(value.charAt(i + 2), 16));
      i += 2;
    }
    try {
      return StandardCharsets.UTF_8.newDecoder()
          .onMalformedInput(CodingErrorAction.REPORT).onUnmappableCharacter(CodingErrorAction.REPORT)
          .decode(ByteBuffer.wrap(bytes.toByteArray())).toString();
    } catch (CharacterCodingException e) {
      throw new IllegalArgumentException("percent-encoded bytes are not UTF-8 in '" + value + "'");
    }
  }
}
