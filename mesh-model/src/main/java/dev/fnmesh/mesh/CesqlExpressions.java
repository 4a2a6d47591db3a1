package dev.fnmesh.mesh;

import io.cloudevents.sql.Expression;
import io.cloudevents.sql.ParseException;
import io.cloudevents.sql.Parser;
import io.cloudevents.sql.generated.CESQLParserLexer;
import io.cloudevents.sql.generated.CESQLParserParser;
import io.cloudevents.sql.impl.parser.CaseChangingCharStream;
import org.antlr.v4.runtime.BaseErrorListener;
import org.antlr.v4.runtime.CharStreams;
import org.antlr.v4.runtime.CommonTokenStream;
import org.antlr.v4.runtime.RecognitionException;
import org.antlr.v4.runtime.Recognizer;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * CloudEvents SQL (CESQL v1) expressions of a {@code filter.sql}: parsed the same way where the mesh file is
 * validated and where a host compiles the filter, so that what loads also runs.
 */
public final class CesqlExpressions {

  private CesqlExpressions() {}

  /** @return why the expression does not parse, or empty when it does */
  public static Optional<String> problem(String expression) {
    try {
      parse(expression);
      return Optional.empty();
    } catch (IllegalArgumentException e) {
      return Optional.of(e.getMessage());
    }
  }

  /**
   * Parses an expression.
   *
   * @throws IllegalArgumentException naming the expression and, for a syntax error, its line and column
   */
  public static Expression parse(String text) {
    if (text == null || text.isBlank()) {
      throw new IllegalArgumentException("CESQL expression \"" + Objects.toString(text, "")
          + "\" is empty: expected an expression such as \"type = 'com.example.created'\"");
    }
    Optional<String> syntaxError = firstSyntaxError(text);
    if (syntaxError.isPresent()) {
      throw new IllegalArgumentException("CESQL expression \"" + text + "\" does not parse: " + syntaxError.get());
    }
    try {
      return Parser.parseDefault(text);
    } catch (ParseException e) {
      throw new IllegalArgumentException("CESQL expression \"" + text + "\" does not parse: " + e.getMessage(), e);
    }
  }

  /**
   * Runs the SDK's own generated lexer and parser with listeners that collect errors. The SDK 4.0.1 parser
   * fails with a NullPointerException on extraneous or missing tokens (an unclosed parenthesis) and prints
   * lexer errors to stderr, so its syntax errors are found here first and reported by position.
   */
  private static Optional<String> firstSyntaxError(String text) {
    List<String> errors = new ArrayList<>();
    BaseErrorListener collect = new BaseErrorListener() {
      @Override
      public void syntaxError(Recognizer<?, ?> recognizer, Object symbol, int line, int column, String message,
          RecognitionException e) {
        errors.add("at line " + line + " column " + (column + 1) + ": " + message);
      }
    };
    // Keywords are upper case in the grammar; the SDK upper-cases the stream the same way.
    CESQLParserLexer lexer = new CESQLParserLexer(new CaseChangingCharStream(CharStreams.fromString(text), true));
    lexer.removeErrorListeners();
    lexer.addErrorListener(collect);
    CESQLParserParser parser = new CESQLParserParser(new CommonTokenStream(lexer));
    parser.removeErrorListeners();
    parser.addErrorListener(collect);
    parser.cesql();
    return errors.stream().findFirst();
  }
}
