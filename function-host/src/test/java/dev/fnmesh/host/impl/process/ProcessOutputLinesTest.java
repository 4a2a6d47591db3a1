package dev.fnmesh.host.impl.process;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

class ProcessOutputLinesTest {

  private static final int LIMIT = 8 * 1024;

  private final List<String> lines = new ArrayList<>();
  private final ProcessOutputLines splitter = new ProcessOutputLines(lines::add);

  private void feed(String... chunks) {
    for (String chunk : chunks) {
      byte[] bytes = chunk.getBytes(StandardCharsets.UTF_8);
      splitter.accept(bytes, bytes.length);
    }
  }

  @Test
  void givesEachLineWithoutItsLineEndWhetherNewlineCarriageReturnOrBoth() {
    feed("first\nsecond\r\nthird\rfourth\n\nlast\n");

    assertEquals(List.of("first", "second", "third", "fourth", "", "last"), lines);
  }

  @Test
  void aCarriageReturnAndNewlineSplitAcrossChunksEndOneLine() {
    feed("first\r", "\nsecond\n");

    assertEquals(List.of("first", "second"), lines);
  }

  @Test
  void givesALineThatEndsOnlyWithTheOutputWhenTheOutputEnds() {
    feed("no line end");
    List<String> beforeTheEnd = List.copyOf(lines);
    splitter.end();

    assertEquals(List.of(), beforeTheEnd);
    assertEquals(List.of("no line end"), lines);
  }

  @Test
  void keepsTheFirst8KibOfALongerLineCountsTheRestAndGivesTheNextLineWhole() {
    feed("x".repeat(LIMIT), "y".repeat(100_000), "\nnext\n");

    assertEquals(List.of("x".repeat(LIMIT) + "... (100000 more bytes)", "next"), lines);
  }

  @Test
  void aLineOfExactly8KibIsNotCut() {
    feed("x".repeat(LIMIT) + "\n");

    assertEquals(List.of("x".repeat(LIMIT)), lines);
  }

  @Test
  void neverCutsACharacterInTwo() {
    // "é" is 2 bytes in UTF-8: its first byte is the last one that fits.
    feed("x".repeat(LIMIT - 1) + "é and more\n");

    assertEquals(List.of("x".repeat(LIMIT - 1) + "... (11 more bytes)"), lines);
  }

  @Test
  void readsAStreamOfMegabytesWithoutALineEndToOneCutLine() throws IOException {
    int size = 5_000_000;
    // Generated as read, so the test itself never holds the line.
    InputStream megabytes = new InputStream() {
      private int left = size;

      @Override
      public int read() {
        return left-- > 0 ? 'x' : -1;
      }
    };

    splitter.readAll(megabytes);

    assertEquals(List.of("x".repeat(LIMIT) + "... (" + (size - LIMIT) + " more bytes)"), lines);
  }

  @Test
  void readsAStreamToItsEnd() throws IOException {
    splitter.readAll(new ByteArrayInputStream("one\ntwo".getBytes(StandardCharsets.UTF_8)));

    assertEquals(List.of("one", "two"), lines);
  }
}
