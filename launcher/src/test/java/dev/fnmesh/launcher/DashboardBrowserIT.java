package dev.fnmesh.launcher;

import dev.fnmesh.kafka.fixture.KafkaFixture;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.openqa.selenium.By;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.logging.LogEntry;
import org.openqa.selenium.logging.LogType;
import org.openqa.selenium.support.ui.WebDriverWait;

import java.io.File;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.logging.Level;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * The dashboard in a real browser, a headless Chromium driven through chromedriver: on a mesh with an access
 * file it asks for a token, then shows the triggers and follows their counts as events arrive, without a
 * reload. Skipped where no Chromium is installed ({@code .ci/run} installs it).
 */
@ExtendWith(KafkaFixture.class)
class DashboardBrowserIT {

  private static final Duration WAIT = Duration.ofSeconds(60);
  private static final String OPS = "ops-token-" + System.nanoTime();
  private static final String SHOP = "shop-token-" + System.nanoTime();
  private static String orders;
  private static String payments;
  private static String thumbnails;
  private static TestMesh mesh;
  private static WebDriver browser;

  @BeforeAll
  static void start() throws Exception {
    Optional<Path> chromium = onPath("chromium", "chromium-browser", "google-chrome");
    Optional<Path> driver = onPath("chromedriver");
    assumeTrue(chromium.isPresent() && driver.isPresent(), "no Chromium and chromedriver on the PATH (Debian: apt-get"
        + " install chromium chromium-driver); found chromium=" + chromium + " chromedriver=" + driver);
    orders = KafkaFixture.uniqueTopic("dashboard-orders");
    payments = KafkaFixture.uniqueTopic("dashboard-payments");
    thumbnails = KafkaFixture.uniqueTopic("dashboard-thumbnails");
    Path access = Files.createTempDirectory("fnmesh-dashboard").resolve("access.yaml");
    Files.writeString(access, """
        clients:
          ops: { token: { sha256: %s }, read: true }
          shop: { token: { sha256: %s }, publish: [%s, %s, %s] }
        """.formatted(DashboardIT.sha256(OPS), DashboardIT.sha256(SHOP), orders, payments, thumbnails));
    mesh = TestMesh.start("""
        functions:
          echo: { java: echo }
          fail: { java: fail }
          resize: { java: sleep, config: { ms: 40 } }
        triggers:
          orders:
            kafka: { topic: %s, partitions: 4 }
            function: echo
          payments:
            kafka: { topic: %s, partitions: 2 }
            function: fail
            delivery: { retry: 1, backoffDelay: PT0.05S }
          thumbnails:
            kafka: { topic: %s, partitions: 4 }
            function: resize
            scale: { max: 4, lagThreshold: 40 }
        """.formatted(orders, payments, thumbnails), new HttpPortSettings(HttpAddress.loopback(0), Optional.of(access), Optional.empty()));
    ChromeOptions options = new ChromeOptions().setBinary(chromium.get().toFile())
        .addArguments("--headless=new", "--no-sandbox", "--disable-dev-shm-usage", "--disable-gpu",
            "--window-size=1440,860", "--no-first-run");
    options.setCapability("goog:loggingPrefs", Map.of(LogType.BROWSER, "ALL"));
    browser = new ChromeDriver(new ChromeDriverService.Builder().usingDriverExecutable(driver.get().toFile())
        .usingAnyFreePort().build(), options);
  }

  @AfterAll
  static void stop() {
    if (browser != null) {
      browser.quit();
    }
    if (mesh != null) {
      mesh.close();
    }
  }

  @Test
  void theDashboardAsksForATokenThenFollowsTheCountsAsEventsArrive() throws Exception {
    WebDriverWait wait = new WebDriverWait(browser, WAIT);
    browser.get("http://127.0.0.1:" + mesh.httpPort() + "/ui");

    WebElement token = wait.until(page -> visible(By.id("token")));
    token.sendKeys(OPS);
    browser.findElement(By.cssSelector("#login button")).click();
    wait.until(page -> visible(By.cssSelector("tr[data-trigger='orders']")));
    assertEquals("0", cell("orders", "succeeded"));
    assertEquals("live", browser.findElement(By.id("connection")).getText());

    publish(orders, "order", 40);
    publish(payments, "payment", 3);
    publish(thumbnails, "image", 400);

    wait.until(page -> cell("orders", "succeeded").equals("40") && cell("payments", "deadLettered").equals("3"));
    assertEquals("3", cell("payments", "retried"), "one retry of each failed payment");
    wait.until(page -> cell("thumbnails", "succeeded").equals("400"));
    assertEquals(4, browser.findElements(By.cssSelector("tr[data-trigger='thumbnails'] svg.lag polyline")).size(),
        "one lag line per partition");

    browser.findElement(By.cssSelector("tr[data-trigger='payments'] td.links a")).click();
    wait.until(page -> browser.findElements(By.cssSelector("#detail-body tbody tr")).size() >= 3);
    assertTrue(browser.findElement(By.id("detail-body")).getText().contains("function-failed"));

    // More events just before the picture, so that it shows a trigger at work.
    publish(orders, "order-more", 400);
    wait.until(page -> cell("orders", "succeeded").equals("440"));
    File screenshot = ((ChromeDriver) browser).getScreenshotAs(OutputType.FILE);
    Path saved = Path.of("target", "ui-dashboard.png");
    Files.createDirectories(saved.getParent());
    Files.copy(screenshot.toPath(), saved, StandardCopyOption.REPLACE_EXISTING);

    List<String> policyViolations = browser.manage().logs().get(LogType.BROWSER).getAll().stream()
        .filter(entry -> entry.getLevel().intValue() >= Level.WARNING.intValue())
        .map(LogEntry::getMessage).filter(message -> message.contains("Content Security Policy")).toList();
    assertEquals(List.of(), policyViolations, "the page broke its own content security policy");
  }

  private static void publish(String topic, String prefix, int count) {
    String batch = IntStream.range(0, count).mapToObj(i -> """
        {"specversion":"1.0","id":"%s-%d","source":"/dashboard","type":"com.example.%s","data":{"n":%d}}"""
        .formatted(prefix, i, prefix, i)).collect(Collectors.joining(",", "[", "]"));
    HttpResponse<String> accepted = mesh.send(mesh.request("/topics/" + topic).header("Authorization", "Bearer " + SHOP)
        .header("content-type", "application/cloudevents-batch+json").POST(HttpRequest.BodyPublishers.ofString(batch)));
    assertEquals(202, accepted.statusCode(), accepted.body());
  }

  private static String cell(String trigger, String column) {
    return browser.findElement(By.cssSelector("tr[data-trigger='" + trigger + "'] td." + column)).getText();
  }

  /** The element when it is on the page and shown; null until then, as a wait expects. */
  private static WebElement visible(By by) {
    return browser.findElements(by).stream().filter(WebElement::isDisplayed).findFirst().orElse(null);
  }

  private static Optional<Path> onPath(String... names) {
    return Stream.of(System.getenv().getOrDefault("PATH", "").split(File.pathSeparator))
        .flatMap(dir -> Stream.of(names).map(name -> Path.of(dir, name)))
        .filter(Files::isExecutable).findFirst();
  }
}
