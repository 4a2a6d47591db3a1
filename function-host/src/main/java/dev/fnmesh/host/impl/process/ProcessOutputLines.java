package dev.fnmesh.host.impl.process;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.function.Consumer;

/**
 * Splits a process's output into lines, each cut to its first {@value #MAX_LINE_BYTES} bytes, so a
 * process that writes a line of megabytes, or never a line end, cannot make the host hold it whole or
 * flood its log. A line ends at {@code \n}, {@code \r\n} or {@code \r}, as {@link java.io.BufferedReader}
 * ends them; bytes are UTF-8. Not thread-safe: one reader thread feeds it.
 */
final class ProcessOutputLines {

  /** The most bytes of one output line kept; the rest of the line is counted and skipped. */
  static final int MAX_LINE_BYTES = 8 * 1024;

  private static final int CHUNK_BYTES = 8 * 1024;

  private final Consumer<String> lines;
  private final byte[] line = new byte[MAX_LINE_BYTES];
  private int length;
  private long skipped;
  private boolean started;
  // A \r ended the previous line: a \n right after it belongs to that line end.
  private boolean afterCarriageReturn;

  /** @param lines given each line, without its line end */
  ProcessOutputLines(Consumer<String> lines) {
    this.lines = lines;
  }

  /**
   * Reads the stream to its end in chunks, giving each line as it ends and the last one, if it has no line
   * end, at the end of the stream.
   *
   * @throws IOException when reading fails; the lines read before were given
   */
  void readAll(InputStream stream) throws IOException {
    byte[] chunk = new byte[CHUNK_BYTES];
    int read;
    while ((read = stream.read(chunk)) != -1) {
      accept(chunk, read);
    }
    end();
  }

  /** Takes the next {@code count} bytes of the output. */
  void accept(byte[] bytes, int count) {
    for (int i = 0; i < count; i++) {
      byte b = bytes[i];
      boolean lineFeedOfCrLf = afterCarriageReturn && b == '\n';
      afterCarriageReturn = b == '\r';
      if (lineFeedOfCrLf) {
        continue;
      }
      if (b == '\n' || b == '\r') {
        give();
      } else if (length < MAX_LINE_BYTES) {
        line[length++] = b;
        started = true;
      } else {
        skipped++;
      }
    }
  }

  /** The output ended: gives the line it ended in, if any. */
  void end() {
    if (started) {
      give();
    }
  }

  private void give() {
    int kept = skipped == 0 ? length : wholeCharacters();
    String text = new String(line, 0, kept, StandardCharsets.UTF_8);
    long more = skipped + length - kept;
    lines.accept(more == 0 ? text : text + "... (" + more + " more bytes)");
    length = 0;
    skipped = 0;
    started = false;
  }

  /** How many of the kept bytes end on a whole UTF-8 character, so that a cut never splits one. */
  private int wholeCharacters() {
    int lead = length;
    // A character is at most 4 bytes: its lead byte is at most 3 continuation bytes (10xxxxxx) back.
    while (lead > 0 && length - lead < 3 && (line[lead - 1] & 0xC0) == 0x80) {
      lead--;
    }
    if (lead == 0) {
      return length;
    }
    int first = line[lead - 1] & 0xFF;
    int size = first >= 0xF0 ? 4 : first >= 0xE0 ? 3 : first >= 0xC0 ? 2 : 1;
    return length - (lead - 1) < size ? lead - 1 : length;
  }
}
