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
import org.antlr.v4.runtime.Token;
import org.antlr.v4.runtime.tree.ParseTree;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * CloudEvents SQL (CESQL v1) expressions of a {@code filter.sql}: parsed the same way where the mesh file is
 * validated and where a host compiles the filter, so that what loads also runs.
 */
public final class CesqlExpressions {

  /**
   * The most tokens an expression may have. The SDK parses and evaluates by recursion, a level or two per
   * token: a thousand stay well inside a thread's default stack, which a few thousand nested calls overflow.
   */
  public static final int MAX_TOKENS = 1000;

  /** The deepest nesting of parentheses (function calls included), the costliest level for the stack. */
  public static final int MAX_PARENTHESES = 64;

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
   * lexer errors to stderr, so its syntax errors are found here first and reported by position. The size is
   * checked on the tokens before the recursive parser runs, and the LIKE patterns ({@link LikePatterns}) after.
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
    CommonTokenStream tokens = new CommonTokenStream(lexer);
    tokens.fill();
    Optional<String> tooLarge = tooLarge(tokens.getTokens());
    if (tooLarge.isPresent()) {
      return tooLarge;
    }
    CESQLParserParser parser = new CESQLParserParser(tokens);
    parser.removeErrorListeners();
    parser.addErrorListener(collect);
    ParseTree tree = parser.cesql();
    return errors.isEmpty() ? likePatternProblem(tree) : errors.stream().findFirst();
  }

  private static Optional<String> tooLarge(List<Token> tokens) {
    // The stream ends with an EOF token.
    if (tokens.size() - 1 > MAX_TOKENS) {
      return Optional.of("it has " + (tokens.size() - 1) + " tokens; an expression may have at most " + MAX_TOKENS);
    }
    int depth = 0;
    for (Token token : tokens) {
      depth += token.getType() == CESQLParserLexer.LR_BRACKET ? 1 : token.getType() == CESQLParserLexer.RR_BRACKET ? -1 : 0;
      if (depth > MAX_PARENTHESES) {
        return Optional.of("at line " + token.getLine() + " column " + (token.getCharPositionInLine() + 1)
            + ": parentheses nest more than " + MAX_PARENTHESES + " deep");
      }
    }
    return Optional.empty();
  }

  private static Optional<String> likePatternProblem(ParseTree tree) {
    Deque<ParseTree> pending = new ArrayDeque<>(List.of(tree));
    while (!pending.isEmpty()) {
      ParseTree node = pending.pop();
      if (node instanceof CESQLParserParser.LikeExpressionContext like) {
        Optional<String> problem = LikePatterns.problem(like.stringLiteral().getStart());
        if (problem.isPresent()) {
          return problem;
        }
      }
      for (int i = 0; i < node.getChildCount(); i++) {
        pending.push(node.getChild(i));
      }
    }
    return Optional.empty();
  }
}
