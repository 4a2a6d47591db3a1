package dev.fnmesh.host;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.fnmesh.function.Function;
import dev.fnmesh.function.FunctionContext;
import io.cloudevents.CloudEvent;
import io.cloudevents.core.builder.CloudEventBuilder;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.net.URI;
import java.net.URISyntaxException;
import java.net.URLClassLoader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;

/**
 * Functions are found in jars of the functions directory, by class name or by the short name the jar
 * registers; every jar version has its own class loader that sees only the function API side of the host,
 * and a replaced jar is loaded anew while functions of its previous version keep working.
 */
class JarFunctionsTest {

  private static final String SERVICES = "META-INF/services/" + Function.class.getName();

  @TempDir
  Path functionsDir;

  private JarFunctions jars;

  private JarFunctions jars() {
    if (jars == null) {
      jars = new JarFunctions(functionsDir);
    }
    return jars;
  }

  @AfterEach
  void close() {
    if (jars != null) {
      jars.close();
    }
  }

  private Function found(String jarName, String reference) {
    FunctionRegistry.Lookup lookup = jars().find(jarName, reference);
    assertNull(lookup.error());
    return lookup.function().orElseThrow();
  }

  private String error(String jarName, String reference) {
    FunctionRegistry.Lookup lookup = jars().find(jarName, reference);
    assertEquals(Optional.empty(), lookup.function());
    return lookup.error();
  }

  // The functions built here never touch the Vert.x instance of their context.
  private static String answerOf(Function function) {
    CloudEvent event = CloudEventBuilder.v1().withId("1").withSource(URI.create("/test")).withType("t").build();
    CloudEvent reply = function.apply(event, new FunctionContext(null, "test", Map.of())).result();
    return new String(reply.getData().toBytes(), StandardCharsets.UTF_8);
  }

  private void writeAnswerJar(String jarName, String answer) throws Exception {
    TestJars.write(functionsDir.resolve(jarName), Map.of(
        "com.acme.Answer", TestJars.answering("com.acme.Answer", "Text.value()"),
        "com.acme.Text", "package com.acme; final class Text { static String value() { return \"" + answer + "\"; } }"),
        Map.of());
  }

  @Test
  void findsAFunctionOfAJarByItsClassName() throws Exception {
    writeAnswerJar("answer.jar", "forty-two");

    assertEquals("forty-two", answerOf(found("answer.jar", "com.acme.Answer")));
  }

  @Test
  void findsAJarInASubdirectoryOfTheFunctionsDirectory() throws Exception {
    writeAnswerJar("team/answer.jar", "from the team");

    assertEquals("from the team", answerOf(found("team/answer.jar", "com.acme.Answer")));
  }

  @Test
  void findsAFunctionByTheShortNameItsJarRegisters() throws Exception {
    TestJars.write(functionsDir.resolve("shout.jar"), Map.of("com.acme.Shout", TestJars.answering("com.acme.Shout",
        "\"HEY\"", "@Override public String name() { return \"shout\"; }")), Map.of(SERVICES, "com.acme.Shout\n"));

    Function shout = found("shout.jar", "shout");

    assertEquals("HEY", answerOf(shout));
    assertSame(shout, found("shout.jar", "com.acme.Shout"));
  }

  @Test
  void doesNotOfferTheFunctionsTheHostRegistersThroughAJar() throws Exception {
    writeAnswerJar("answer.jar", "a");

    assertEquals("no class greeter in jar answer.jar, and no function registered in it under that name;"
        + " registered in the jar: []", error("answer.jar", "greeter"));
    assertEquals("no class dev.fnmesh.examples.Greeter in jar answer.jar, and no function registered in it under"
        + " that name; registered in the jar: []", error("answer.jar", "dev.fnmesh.examples.Greeter"));
  }

  @Test
  void reusesTheLoadedVersionWhileTheJarIsUnchanged() throws Exception {
    writeAnswerJar("answer.jar", "same");

    assertSame(found("answer.jar", "com.acme.Answer").getClass(), found("answer.jar", "com.acme.Answer").getClass());
  }

  @Test
  void loadsTheNewVersionOfAJarReplacedInPlaceWhileFunctionsOfTheOldOneKeepWorking() throws Exception {
    writeAnswerJar("answer.jar", "v1");
    Function first = found("answer.jar", "com.acme.Answer");

    writeAnswerJar("answer.jar", "v2");
    Function second = found("answer.jar", "com.acme.Answer");

    assertEquals("v2", answerOf(second));
    // The old version loads its Text class only now, after its jar was overwritten: from its own copy.
    assertEquals("v1", answerOf(first));
    assertNotSame(first.getClass(), second.getClass());
  }

  @Test
  void keepsTheClassesOfTwoJarsApartEvenWithTheSameNames() throws Exception {
    writeAnswerJar("a.jar", "from a");
    writeAnswerJar("b.jar", "from b");

    assertEquals("from a", answerOf(found("a.jar", "com.acme.Answer")));
    assertEquals("from b", answerOf(found("b.jar", "com.acme.Answer")));
  }

  @Test
  void letsAJarSeeTheFunctionApiVertxAndCloudEventsOfTheHostButNotItsOtherLibraries() throws Exception {
    writeAnswerJar("answer.jar", "a");
    ClassLoader loader = found("answer.jar", "com.acme.Answer").getClass().getClassLoader();

    assertSame(Function.class, loader.loadClass(Function.class.getName()));
    assertSame(JsonObject.class, loader.loadClass(JsonObject.class.getName()));
    assertSame(CloudEvent.class, loader.loadClass(CloudEvent.class.getName()));
    assertThrows(ClassNotFoundException.class, () -> loader.loadClass("com.fasterxml.jackson.databind.ObjectMapper"));
    assertThrows(ClassNotFoundException.class, () -> loader.loadClass(JarFunctions.class.getName()));
    assertNull(loader.getResource(SERVICES));
  }

  @Test
  void explainsThatTheJarIsMissing() {
    assertEquals("no jar resize.jar in functions directory " + functionsDir.toAbsolutePath().normalize(),
        error("resize.jar", "com.acme.Resize"));
  }

  @Test
  void refusesJarNamesOutsideTheFunctionsDirectoryOrNotEndingInJar() {
    for (String name : new String[] {"../resize.jar", "/tmp/resize.jar", "./resize.jar", "a/../resize.jar",
        "resize.zip", ""}) {
      assertEquals("jar: must be the relative path of a .jar file in the functions directory, such as resize.jar,"
          + " without a leading '/' or any '.' or '..' folder, got '" + name + "'", error(name, "com.acme.Resize"));
    }
  }

  @Test
  void explainsThatTheClassIsNotInTheJar() throws Exception {
    writeAnswerJar("answer.jar", "a");

    assertEquals("no class com.acme.Nope in jar answer.jar, and no function registered in it under that name;"
        + " registered in the jar: []", error("answer.jar", "com.acme.Nope"));
  }

  @Test
  void explainsThatAClassOfTheJarIsNoFunction() throws Exception {
    writeAnswerJar("answer.jar", "a");

    assertEquals("class 'com.acme.Text' in jar answer.jar does not implement dev.fnmesh.function.Function",
        error("answer.jar", "com.acme.Text"));
  }

  @Test
  void explainsThatAFunctionOfTheJarHasNoNoArgumentConstructor() throws Exception {
    TestJars.write(functionsDir.resolve("configured.jar"), Map.of("com.acme.Configured",
        TestJars.answering("com.acme.Configured", "\"x\"", "public Configured(String setting) {}")), Map.of());

    assertTrue(error("configured.jar", "com.acme.Configured").startsWith("class 'com.acme.Configured' in jar"
        + " configured.jar could not be instantiated with a public no-argument constructor: "
        + "java.lang.NoSuchMethodException"));
  }

  @Test
  void explainsThatTheJarsRegistrationNamesAMissingClass() throws Exception {
    TestJars.write(functionsDir.resolve("broken.jar"), Map.of("com.acme.Answer",
        TestJars.answering("com.acme.Answer", "\"a\"")), Map.of(SERVICES, "com.acme.Gone\n"));

    String error = error("broken.jar", "com.acme.Answer");

    assertTrue(error.startsWith("jar broken.jar: its registration in META-INF/services/dev.fnmesh.function.Function"
        + " failed: "), error);
    assertTrue(error.contains("com.acme.Gone"), error);
  }

  @Test
  void explainsThatAFileNamedLikeAJarIsNoJar() throws Exception {
    Files.writeString(functionsDir.resolve("broken.jar"), "no zip at all");

    assertEquals("jar broken.jar in functions directory " + functionsDir.toAbsolutePath().normalize()
        + " is no valid jar file: zip END header not found", error("broken.jar", "com.acme.Answer"));
  }

  @Test
  void deletesTheCopiesOfTheJarsAndRefusesLookupsOnceClosed() throws Exception {
    writeAnswerJar("answer.jar", "a");
    Path copy = copyOf(found("answer.jar", "com.acme.Answer"));
    assertTrue(Files.isRegularFile(copy));

    jars().close();

    assertFalse(Files.exists(copy));
    assertThrows(IllegalStateException.class, () -> jars().find("answer.jar", "com.acme.Answer"));
  }

  private static Path copyOf(Function function) throws URISyntaxException {
    return Path.of(((URLClassLoader) function.getClass().getClassLoader()).getURLs()[0].toURI());
  }
}
