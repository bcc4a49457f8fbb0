package org.bulletin.feed;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.http.HttpMethod;
import io.vertx.core.json.JsonObject;
import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.function.BooleanSupplier;
import org.bulletin.testkit.KafkaBroker;
import org.bulletin.testkit.KafkaBrokerExtension;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.openqa.selenium.By;
import org.openqa.selenium.Dimension;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.Keys;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.WebDriverException;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.interactions.Actions;
import org.openqa.selenium.support.ui.Select;
import org.openqa.selenium.support.ui.WebDriverWait;

/**
 * The partner portal in Debian's headless Chromium, driven by Selenium through Debian's
 * chromedriver: what a partner sees, each action's effect (in the page and in the API), another
 * partner's endpoint out of reach, keyboard use, and screenshots at 390 and 1280 px kept under
 * target/screenshots.
 */
@ExtendWith(KafkaBrokerExtension.class)
class PortalBrowserIT {
  private static final Path CHROMIUM = Path.of("/usr/bin/chromium");
  private static final Path CHROMEDRIVER = Path.of("/usr/bin/chromedriver");
  private static final Path SCREENSHOTS = Path.of("target", "screenshots");

  @TempDir
  Path dir;

  private WebDriver driver;
  private String base;

  private WebDriver startBrowser() {
    ChromeDriverService service = new ChromeDriverService.Builder()
        .usingDriverExecutable(CHROMEDRIVER.toFile()).usingAnyFreePort()
        .withLogFile(dir.resolve("chromedriver.log").toFile()).build();
    ChromeOptions options = new ChromeOptions();
    options.setBinary(CHROMIUM.toFile());
    options.addArguments("--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
        "--no-first-run", "--disable-background-networking", "--disable-component-update", "--disable-sync",
        "--hide-scrollbars", "--window-size=1280,900", "--user-data-dir=" + dir.resolve("profile"));
    return new ChromeDriver(service, options);
  }

  @Test
  void aPartnerManagesItsEndpointsInARealBrowser(KafkaBroker broker) throws Exception {
    boolean browser = Files.isExecutable(CHROMIUM) && Files.isExecutable(CHROMEDRIVER);
    String missing = "Debian's chromium and chromium-driver are not installed (.ci/run installs both)";
    // On CI a missing browser is a broken build, not a reason to skip the portal's only browser test.
    if (System.getenv("CI") != null) {
      assertThat(browser).as(missing + "; CI is set, so this fails instead of skipping").isTrue();
    }
    Assumptions.assumeTrue(browser, missing + "; skipping the portal browser test");
    try (PortalTestSupport t = new PortalTestSupport(broker.bootstrapServers(), Map.of())) {
      FeedFixture.Feed feed = t.fixture.startFeed();
      base = "http://127.0.0.1:" + feed.verticle.actualPort();
      String[] acme = t.createPartner("Acme Daily");
      String[] globex = t.createPartner("Globex Wire");
      String globexSub = t.subscribe(feed, globex[1], t.receiver(200).url(), "Globex secret endpoint")
          .getString("id");
      PortalTestSupport.Receiver receiver = t.receiver(200);
      String link = t.portalLink(feed, acme[0]).getString("url").replace("http://feeds.test", base);
      t.awaitKey(feed, acme[1]);

      driver = startBrowser();
      try {
        // Opening the link: a confirmation page, then the portal.
        driver.get(link);
        assertThat(h1()).isEqualTo("Partner portal for Acme Daily");
        submit(button("Continue to the portal"));
        assertThat(h1()).isEqualTo("Your webhook endpoints");
        assertThat(text("#no-endpoints")).isEqualTo("You have no endpoints yet. Add one below.");
        assertThat(driver.findElement(By.tagName("header")).getText()).contains("Signed in as Acme Daily");

        // Add an endpoint: the secret is shown once.
        driver.findElement(By.id("url")).sendKeys(receiver.url());
        driver.findElement(By.id("description")).sendKeys("Acme newsroom");
        driver.findElement(By.cssSelector("input[name=types][value=published]")).click();
        submit(button("Add endpoint"));
        assertThat(h1()).isEqualTo("Endpoint added");
        String firstSecret = driver.findElement(By.id("secret")).getDomProperty("value");
        assertThat(firstSecret).startsWith("whsec_");
        submit(driver.findElement(By.linkText("Go to the endpoint")));
        String subId = driver.getCurrentUrl().replaceAll(".*/portal/endpoints/([^?]+).*", "$1");
        assertThat(h1()).isEqualTo("Acme newsroom");
        assertThat(text("#endpoint-state")).isEqualTo("Enabled");
        JsonObject viaApi = api(t, feed, acme[1], "/v1/subscriptions/" + subId);
        assertThat(viaApi.getString("partnerId")).isEqualTo(acme[0]);
        assertThat(viaApi.getJsonObject("filters").getJsonArray("types").getList()).containsExactly("published");

        // Send a test event: its attempt appears, and the receiver got it.
        submit(button("Send a test event"));
        assertThat(text(".notice")).startsWith("A test event (webhook.test) is on its way");
        awaitOnPage(() -> rows().stream().anyMatch(r -> r.getDomAttribute("data-event").startsWith("evt_test_")
            && r.getText().contains("delivered") && r.getText().contains("HTTP 200")));
        assertThat(receiver.bodies).anyMatch(b -> b.contains("\"type\":\"webhook.test\""));
        WebElement testRow = rows().get(0);
        assertThat(testRow.getText()).contains("webhook.test").contains(" ms").contains("answer 200");
        assertThat(testRow.findElements(By.tagName("button"))).as("a test event cannot be resent").isEmpty();

        // A published report is delivered and shows up; resend it.
        t.fixture.publishJson("portal-browser-report");
        awaitOnPage(() -> rows().stream().anyMatch(r -> r.getText().contains("report.published")));
        String eventId = rows().stream().filter(r -> r.getText().contains("report.published")).findFirst()
            .orElseThrow().getDomAttribute("data-event");
        submit(driver.findElement(By.cssSelector("button[aria-label='Resend event " + eventId + "']")));
        assertThat(text(".notice")).isEqualTo("The event is queued again; the new attempt appears below.");
        awaitOnPage(() -> attemptsOf(eventId) == 2);

        // Replay the last day: the report is sent once more.
        submit(button("Replay"));
        assertThat(text(".notice")).isEqualTo("Replay queued: 1 event.");
        awaitOnPage(() -> attemptsOf(eventId) == 3);
        assertThat(receiver.received.get()).isEqualTo(4);

        // Filter the attempts by outcome.
        new Select(driver.findElement(By.id("outcome"))).selectByValue("failed");
        submit(button("Filter"));
        assertThat(text("#no-attempts")).isEqualTo("No attempts to show.");
        new Select(driver.findElement(By.id("outcome"))).selectByValue("delivered");
        submit(button("Filter"));
        assertThat(rows()).hasSize(4).allMatch(r -> "delivered".equals(r.getDomAttribute("data-outcome")));
        driver.get(base + "/portal/endpoints/" + subId);

        // Screenshots of a populated endpoint page, and no sideways scrolling of the page at 390 px.
        screenshots("portal-endpoint");

        // Rotate the secret: a new one, shown once.
        submit(button("Rotate the signing secret"));
        assertThat(h1()).isEqualTo("Signing secret rotated");
        String secondSecret = driver.findElement(By.id("secret")).getDomProperty("value");
        assertThat(secondSecret).startsWith("whsec_").isNotEqualTo(firstSecret);
        submit(driver.findElement(By.linkText("Go to the endpoint")));

        // Disable, then enable: the page and the API agree.
        submit(button("Disable"));
        assertThat(text("#endpoint-state")).isEqualTo("Disabled: disabled by request");
        assertThat(api(t, feed, acme[1], "/v1/subscriptions/" + subId).getBoolean("enabled")).isFalse();
        submit(button("Enable"));
        assertThat(text("#endpoint-state")).isEqualTo("Enabled");
        assertThat(api(t, feed, acme[1], "/v1/subscriptions/" + subId).getBoolean("enabled")).isTrue();

        // The list: this partner's endpoint only, with its last day; the state filter.
        submit(driver.findElement(By.linkText("Endpoints")));
        WebElement card = driver.findElement(By.cssSelector("[data-endpoint='" + subId + "']"));
        assertThat(card.getText()).contains("Acme newsroom").contains("4 attempts, 100 % delivered")
            .contains("median").contains("published; every district; every topic");
        assertThat(driver.getPageSource()).doesNotContain("Globex").doesNotContain(globexSub);
        screenshots("portal-home");
        new Select(driver.findElement(By.id("state"))).selectByValue("disabled");
        submit(button("Filter"));
        assertThat(text("#no-endpoints")).isEqualTo("No endpoint matches this filter.");

        // Keyboard: the first Tab reaches the skip link, Enter moves to the main content; every
        // form control has a label.
        driver.get(base + "/portal");
        new Actions(driver).sendKeys(Keys.TAB).perform();
        WebElement focused = driver.switchTo().activeElement();
        assertThat(focused.getText()).isEqualTo("Skip to main content");
        focused.sendKeys(Keys.ENTER);
        assertThat(driver.getCurrentUrl()).endsWith("#main");
        Object unlabelled = ((JavascriptExecutor) driver).executeScript(
            "return [...document.querySelectorAll('input:not([type=hidden]),select')]"
                + ".filter(e => e.labels.length === 0 && !e.getAttribute('aria-label')).map(e => e.name);");
        assertThat((List<?>) unlabelled).isEmpty();
        assertThat(driver.findElements(By.cssSelector("header, nav, main, footer"))).hasSize(4);

        // Guessing another partner's endpoint id: not found, nothing shown.
        driver.get(base + "/portal/endpoints/" + globexSub);
        assertThat(h1()).isEqualTo("Not found");
        assertThat(driver.getPageSource()).doesNotContain("Globex");

        // Delete, after a confirmation.
        driver.get(base + "/portal/endpoints/" + subId);
        submit(driver.findElement(By.linkText("Delete…")));
        assertThat(h1()).isEqualTo("Delete Acme newsroom?");
        submit(button("Delete the endpoint"));
        assertThat(text(".notice")).isEqualTo("The endpoint was deleted.");
        assertThat(t.call(feed, HttpMethod.GET, "/v1/subscriptions/" + subId, acme[1], null).statusCode())
            .isEqualTo(404);
        assertThat(api(t, feed, globex[1], "/v1/subscriptions/" + globexSub).getBoolean("enabled"))
            .as("the other partner's endpoint is untouched").isTrue();

        // Log out: the portal no longer opens without a new link.
        submit(button("Log out"));
        assertThat(h1()).isEqualTo("You are signed out");
        driver.get(base + "/portal");
        assertThat(h1()).isEqualTo("You are not signed in");
      } finally {
        driver.quit();
      }
    }
  }

  private static JsonObject api(PortalTestSupport t, FeedFixture.Feed feed, String key, String path) {
    var r = t.call(feed, HttpMethod.GET, path, key, null);
    assertThat(r.statusCode()).as(r.bodyAsString()).isEqualTo(200);
    return r.bodyAsJsonObject();
  }

  private String h1() {
    return driver.findElement(By.tagName("h1")).getText();
  }

  private String text(String css) {
    return driver.findElement(By.cssSelector(css)).getText();
  }

  private WebElement button(String label) {
    return driver.findElement(By.xpath("//button[normalize-space()='" + label + "']"));
  }

  /**
   * Clicks what navigates, and waits until the next page has replaced this one and loaded. The old
   * page is marked by a window property rather than held as an element: Chrome may answer a
   * staleness check on a node of a page being replaced with an "unknown error" instead of a stale
   * reference, and a check made mid-navigation can fail either way, so such errors mean "not yet".
   */
  private void submit(WebElement target) {
    JavascriptExecutor js = (JavascriptExecutor) driver;
    js.executeScript("window.__bulletinOldPage = true;");
    target.click();
    new WebDriverWait(driver, Duration.ofSeconds(30)).ignoring(WebDriverException.class)
        .until(d -> Boolean.TRUE.equals(js.executeScript(
            "return window.__bulletinOldPage === undefined && document.readyState === 'complete';")));
  }

  private List<WebElement> rows() {
    return driver.findElements(By.cssSelector("table.attempts tbody tr"));
  }

  private long attemptsOf(String eventId) {
    return rows().stream().filter(r -> eventId.equals(r.getDomAttribute("data-event"))).count();
  }

  /** Reloads the page until {@code condition} holds (deliveries take a moment), at most 30 s. */
  private void awaitOnPage(BooleanSupplier condition) {
    long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
    String page = driver.getCurrentUrl().replaceAll("\\?.*", "");
    while (!condition.getAsBoolean()) {
      assertThat(System.nanoTime()).as("condition on " + page + " within 30 s").isLessThan(deadline);
      FeedFixture.sleep(300);
      driver.get(page);
    }
  }

  private void screenshots(String name) throws Exception {
    Files.createDirectories(SCREENSHOTS);
    for (Dimension size : List.of(new Dimension(390, 844), new Dimension(1280, 900))) {
      driver.manage().window().setSize(size);
      driver.navigate().refresh();
      Long overflow = (Long) ((JavascriptExecutor) driver).executeScript(
          "return document.documentElement.scrollWidth - document.documentElement.clientWidth;");
      Object wide = ((JavascriptExecutor) driver).executeScript(
          "const w = document.documentElement.clientWidth; return [...document.querySelectorAll('body *')]"
              + ".filter(e => e.getBoundingClientRect().right > w + 1)"
              + ".slice(0, 8).map(e => e.tagName + '.' + e.className + '#' + e.id + ' ' + Math.round(e.getBoundingClientRect().right));");
      assertThat(overflow).as(name + " scrolls sideways at " + size.width + " px; too wide: " + wide)
          .isLessThanOrEqualTo(0L);
      File png = ((ChromeDriver) driver).getScreenshotAs(OutputType.FILE);
      Path kept = SCREENSHOTS.resolve(name + "-" + size.width + "x" + size.height + ".png");
      Files.copy(png.toPath(), kept, StandardCopyOption.REPLACE_EXISTING);
      assertThat(Files.size(kept)).as("screenshot " + kept).isGreaterThan(5_000);
    }
    driver.manage().window().setSize(new Dimension(1280, 900));
  }
}
