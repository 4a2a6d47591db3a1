package dev.fnmesh.mesh.load;

import dev.fnmesh.mesh.MeshProblem;
import static dev.fnmesh.mesh.load.MeshFiles.onlyProblemOf;
import static dev.fnmesh.mesh.load.MeshFiles.problem;
import static dev.fnmesh.mesh.load.MeshFiles.problemsOf;
import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

import java.util.List;

/** Each bad key of a function kind is reported at the key, naming what is expected and the value found. */
class MeshLoaderFunctionProblemsTest {

  private static final String JAR_RULE = "must be the relative path of a .jar file in the functions directory, such "
      + "as resize.jar: letters, digits, '.', '_', '-' and '/', without a leading '/' or any '.' or '..' folder";
  private static final String URL_RULE = FunctionChecks.URL_RULE;
  private static final String PORT_RULE = "must be auto or a port number between 1 and 65535";
  private static final String ENV_RULE = "must be an environment variable name (letters, digits and '_', not "
      + "starting with a digit) other than PORT, FNMESH_FUNCTION and FNMESH_REPLICA, which fnmesh sets";
  private static final String ENV_VALUE_RULE = "must be a string, { env: NAME } or { file: PATH }";
  private static final String DURATION_RULE = PositiveDuration.RULE;

  /** The only problem of function f, declared by its kind line and one more key line, lines 3 and 4. */
  private static MeshProblem onlyProblemOfFunction(String kind, String key) {
    return onlyProblemOf("functions:\n  f:\n    " + kind + "\n    " + key + "\n");
  }

  @Test
  void shouldReportAFunctionWithTwoKindsNamingThem() {
    assertEquals(problem(2, 3, "functions.f",
            "must have exactly one function kind, one of: java, http, command, image; found java and http"),
        onlyProblemOf("functions:\n  f: { java: f, http: 'http://h/' }\n"));
    assertEquals(problem(2, 3, "functions.f",
            "must have exactly one function kind, one of: java, http, command, image; found java and http and command"),
        onlyProblemOf("functions:\n  f: { java: f, http: 'http://h/', command: [x], blocking: true }\n"));
  }

  @ParameterizedTest
  @CsvSource(delimiter = '|', quoteCharacter = '`', value = {
      "java: f | concurrency: 5 | applies to http, command and image functions only, and this is a java function",
      "java: f | structured: true | applies to http functions only, and this is a java function",
      "java: f | port: 80 | applies to command and image functions only, and this is a java function",
      "java: f | readiness: PT1S | applies to command and image functions only, and this is a java function",
      "java: f | workingDir: x | applies to command functions only, and this is a java function",
      "java: f | env: {} | applies to command and image functions only, and this is a java function",
      "http: 'http://h/' | blocking: true | applies to java functions only, and this is an http function",
      "http: 'http://h/' | jar: f.jar | applies to java functions only, and this is an http function",
      "http: 'http://h/' | port: auto | applies to command and image functions only, and this is an http function",
      "command: [x] | memory: 1Gi | applies to image functions only, and this is a command function",
      "command: [x] | path: /x | applies to image functions only, and this is a command function",
      "command: [x] | blocking: false | applies to java functions only, and this is a command function",
      "command: [x] | structured: true | applies to http functions only, and this is a command function",
      "command: [x] | jar: f.jar | applies to java functions only, and this is a command function",
  })
  void shouldReportAKeyOfAnotherKindAtTheKey(String kind, String key, String message) {
    assertEquals(problem(4, 5, "functions.f." + key.substring(0, key.indexOf(':')), message + ": remove it"),
        onlyProblemOfFunction(kind, key));
  }

  @ParameterizedTest
  @ValueSource(strings = {"/abs/f.jar", "../f.jar", "lib/../f.jar", "./f.jar", "f.zip", "f.jar.bak", ".jar",
      "lib/.f.jar", "lib\\\\f.jar", "my f.jar", "''"})
  void shouldReportAJarThatIsNoRelativeJarPath(String jar) {
    assertEquals(problem(4, 5, "functions.f.jar", JAR_RULE + ", got \"" + jar.replace("'", "") + "\""),
        onlyProblemOfFunction("java: f", "jar: \"" + jar.replace("'", "") + "\""));
  }

  @ParameterizedTest
  @ValueSource(strings = {"ftp://h/", "127.0.0.1:9100", "//h/", "http://", "http:///path", "HTTP://h/",
      "http://a b/", "http://:80/", "http://a|b/", "http://h/%zz", "''"})
  void shouldReportAnHttpValueThatIsNoAbsoluteHttpUrlOnce(String url) {
    String text = url.replace("'", "");
    assertEquals(problem(3, 5, "functions.f.http", URL_RULE + ", got \"" + text + "\""),
        onlyProblemOf("functions:\n  f:\n    http: \"" + text + "\"\n"));
  }

  @Test
  void shouldReportAnHttpValueThatIsNoString() {
    assertEquals(problem(2, 8, "functions.f.http", URL_RULE + ", got 8080"),
        onlyProblemOf("functions:\n  f: { http: 8080 }\n"));
  }

  @ParameterizedTest
  @ValueSource(strings = {"0", "10001", "-1", "2.5"})
  void shouldReportAConcurrencyOutOfRange(String concurrency) {
    assertEquals(problem(4, 5, "functions.f.concurrency", "must be an integer between 1 and 10000, got " + concurrency),
        onlyProblemOfFunction("http: 'http://h/'", "concurrency: " + concurrency));
    assertEquals(problem(4, 5, "functions.f.concurrency", "must be an integer between 1 and 10000, got " + concurrency),
        onlyProblemOfFunction("command: [x]", "concurrency: " + concurrency));
  }

  @Test
  void shouldReportAStructuredThatIsNoBoolean() {
    assertEquals(problem(4, 5, "functions.f.structured", "must be true or false, got \"binary\""),
        onlyProblemOfFunction("http: 'http://h/'", "structured: binary"));
  }

  @Test
  void shouldReportACommandThatIsNoListOfNonEmptyStrings() {
    assertEquals(problem(3, 5, "functions.f.command",
            "must be a list of the program and its arguments, such as [python3, main.py], got \"python3 main.py\""),
        onlyProblemOf("functions:\n  f:\n    command: python3 main.py\n"));
    assertEquals(problem(3, 5, "functions.f.command",
            "must name at least the program to run, such as [python3, main.py], got an empty list"),
        onlyProblemOf("functions:\n  f:\n    command: []\n"));
    assertEquals(List.of(
            problem(3, 24, "functions.f.command[1]", "must be a non-empty string, got \"\""),
            problem(3, 28, "functions.f.command[2]",
                "must be a non-empty string, got 3; put it in quotes to make it a string"),
            problem(3, 31, "functions.f.command[3]", "must be a non-empty string, got an empty value")),
        problemsOf("functions:\n  f:\n    command: [python3, '', 3, ~]\n"));
  }

  @ParameterizedTest
  @CsvSource(delimiter = '|', quoteCharacter = '`', value = {
      "0      | 0",
      "65536  | 65536",
      "-80    | -80",
      "80.5   | 80.5",
      "true   | true",
      "AUTO   | \"AUTO\"",
      "'8080' | \"8080\"",
      "''     | \"\"",
      "[80]   | a list",
      "{}     | an empty mapping",
  })
  void shouldReportAPortThatIsNeitherAutoNorAPortNumber(String port, String shown) {
    assertEquals(problem(4, 5, "functions.f.port", PORT_RULE + ", got " + shown),
        onlyProblemOfFunction("command: [x]", "port: " + port));
  }

  @ParameterizedTest
  @ValueSource(strings = {"PT0S", "P0D", "30s", "-PT1S", "PT", "''"})
  void shouldReportAReadinessThatIsNoPositiveDurationOnce(String readiness) {
    assertEquals(problem(4, 5, "functions.f.readiness", DURATION_RULE + ", got \"" + readiness.replace("'", "") + "\""),
        onlyProblemOfFunction("command: [x]", "readiness: " + readiness));
  }

  @Test
  void shouldReportAnEmptyWorkingDir() {
    assertEquals(problem(4, 5, "functions.f.workingDir", "must be a non-empty string, got \"\""),
        onlyProblemOfFunction("command: [x]", "workingDir: ''"));
  }

  @ParameterizedTest
  @ValueSource(strings = {"PORT", "FNMESH_FUNCTION", "FNMESH_REPLICA", "1ST", "MY-VAR", "A.B", "Ä"})
  void shouldReportAnEnvNameThatIsReservedOrNoVariableName(String name) {
    assertEquals(problem(4, 12, "functions.f.env." + name, ENV_RULE + ", got \"" + name + "\""),
        onlyProblemOfFunction("command: [x]", "env: { " + name + ": v }"));
  }

  @Test
  void shouldReportEnvValuesThatAreNoStringsAndAnEnvThatIsNoMapping() {
    assertEquals(List.of(
            problem(4, 12, "functions.f.env.N", ENV_VALUE_RULE + ", got 1; put it in quotes to make it a string"),
            problem(4, 18, "functions.f.env.B", ENV_VALUE_RULE + ", got true; put it in quotes to make it a string"),
            problem(4, 27, "functions.f.env.E", ENV_VALUE_RULE + ", got an empty value"),
            problem(4, 32, "functions.f.env.L", ENV_VALUE_RULE + ", got a list"),
            problem(7, 5, "functions.g.env", "must be a mapping, got a list")),
        problemsOf("""
            functions:
              f:
                command: [x]
                env: { N: 1, B: true, E: , L: [a] }
              g:
                command: [x]
                env: [A=1]
            """));
  }

  @Test
  void shouldReportASecretOfEnvThatNamesNoPlaceOrBothOrABadOneAtTheVariable() {
    assertEquals(List.of(
            problem(5, 7, "functions.f.env.TOKEN",
                "must name exactly one place to read the secret from, one of: env, file; found none"),
            problem(6, 7, "functions.f.env.BOTH",
                "must name exactly one place to read the secret from, one of: env, file; found env and file"),
            problem(7, 14, "functions.f.env.BAD.env", "must be an environment variable name: letters, digits "
                + "and '_', not starting with a digit, got \"1-TOKEN\""),
            problem(8, 16, "functions.f.env.EMPTY.file", "must be a non-empty string, got \"\""),
            problem(9, 7, "functions.f.env.OTHER",
                "must name exactly one place to read the secret from, one of: env, file; found none"),
            problem(9, 16, "functions.f.env.OTHER.path", "unknown key \"path\"; allowed keys are env, file")),
        problemsOf("""
            functions:
              f:
                command: [x]
                env:
                  TOKEN: {}
                  BOTH: { env: A, file: /a }
                  BAD: { env: 1-TOKEN }
                  EMPTY: { file: '' }
                  OTHER: { path: /a }
            """));
  }

  @Test
  void shouldReportAConfigSecretWithABadVariableOrFileAtItsKey() {
    assertEquals(List.of(
            problem(4, 24, "functions.f.config.token.env", "must be an environment variable name: letters, digits "
                + "and '_', not starting with a digit, got \"MY TOKEN\""),
            problem(5, 22, "functions.f.config.key.file",
                "must be a non-empty string, got 5; put it in quotes to make it a string")),
        problemsOf("""
            functions:
              f:
                java: f
                config: { token: { env: MY TOKEN },
                          key: { file: 5 } }
            """));
  }

  @Test
  void shouldReportAMaxWaitingOutOfRangeOrOnAJavaFunction() {
    assertEquals(problem(4, 5, "functions.f.maxWaiting", "must be an integer between 0 and 100000, got -1"),
        onlyProblemOfFunction("http: 'http://h/'", "maxWaiting: -1"));
    assertEquals(problem(4, 5, "functions.f.maxWaiting", "must be an integer between 0 and 100000, got 100001"),
        onlyProblemOfFunction("command: [x]", "maxWaiting: 100001"));
    assertEquals(problem(4, 5, "functions.f.maxWaiting",
            "applies to http, command and image functions only, and this is a java function: remove it"),
        onlyProblemOfFunction("java: f", "maxWaiting: 5"));
  }

  @Test
  void shouldReportEveryFunctionProblemAtOnceInFileOrder() {
    assertEquals(List.of(
            problem(2, 27, "functions.a.blocking",
                "applies to java functions only, and this is an http function: remove it"),
            problem(3, 3, "functions.b", "must have exactly one function kind, one of: java, http, command, image; "
                + "found none"),
            problem(3, 8, "functions.b.concurrency", "must be an integer between 1 and 10000, got 0"),
            problem(4, 22, "functions.c.readiness", DURATION_RULE + ", got \"PT0S\""),
            problem(4, 46, "functions.c.env.PORT", ENV_RULE + ", got \"PORT\""),
            problem(4, 59, "functions.c.jar", "applies to java functions only, and this is a command function: "
                + "remove it")),
        problemsOf("""
            functions:
              a: { http: 'http://h/', blocking: true }
              b: { concurrency: 0 }
              c: { command: [x], readiness: PT0S, env: { PORT: '1' }, jar: c.jar }
            """));
  }

  @Test
  void shouldReportAnImageFunctionWithoutANumericPortAndKeysOfOtherKinds() {
    assertEquals(problem(2, 3, "functions.f.port", "image functions need the port their server listens on inside the"
            + " container, a number such as 8080, got nothing"),
        onlyProblemOf("functions:\n  f:\n    image: ghcr.io/acme/resize:1\n"));
    assertEquals(problem(4, 5, "functions.f.port", "image functions need the port their server listens on inside the"
            + " container, a number such as 8080, got \"auto\""),
        onlyProblemOfFunction("image: i", "port: auto"));
    assertEquals(List.of(
            problem(2, 28, "functions.f.workingDir",
                "applies to command functions only, and this is an image function: remove it"),
            problem(2, 43, "functions.f.user", "must be a numeric user other than root (0), with an optional group,"
                + " such as 65534:65534, got \"0\"")),
        problemsOf("functions:\n  f: { image: i, port: 80, workingDir: x, user: '0' }\n"));
  }
}
