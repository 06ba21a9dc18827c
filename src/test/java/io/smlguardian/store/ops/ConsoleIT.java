package io.smlguardian.store.ops;

import static org.assertj.core.api.Assertions.assertThat;

import io.smlguardian.store.testsupport.Api;
import io.smlguardian.store.testsupport.PurgeRuns;
import io.smlguardian.store.testsupport.Samples;
import io.smlguardian.store.testsupport.TestTokens;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.TakesScreenshot;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.support.ui.ExpectedConditions;
import org.openqa.selenium.support.ui.WebDriverWait;

/**
 * The ops console in a real headless browser. An operator pastes a token, sees the live figures (a
 * record stored through the API shows up in the count at the next refresh), starts a purge and sees
 * its execution in the jobs list.
 *
 * <p>The browser is a local Chrome or Chromium with its driver when the machine has both (Debian's
 * chromium and chromium-driver, which .ci/run installs; a distribution's or Google's Chrome);
 * otherwise Selenium Manager finds or downloads a matching Chrome and driver, the Selenium
 * ecosystem's convention, on Linux, macOS and Windows alike. Without either this test fails rather
 * than skips. It runs once, in the postgresql run (tagged like the PostgreSQL-only tests): the page
 * is the same on every backend, and the status it reads is tested on each.
 */
@Tag("postgresql")
class ConsoleIT {

  /** Where distributions and Google install a browser, first found first used. */
  private static final List<Path> LOCAL_BROWSERS =
      Stream.of(
              "/usr/bin/chromium",
              "/usr/bin/chromium-browser",
              "/usr/bin/google-chrome",
              "/usr/bin/google-chrome-stable",
              "/Applications/Google Chrome.app/Contents/MacOS/Google Chrome",
              "/Applications/Chromium.app/Contents/MacOS/Chromium")
          .map(Path::of)
          .toList();

  private static final List<Path> LOCAL_DRIVERS =
      Stream.of(
              "/usr/bin/chromedriver",
              "/usr/local/bin/chromedriver",
              "/opt/homebrew/bin/chromedriver")
          .map(Path::of)
          .toList();
  private static final Duration PATIENCE = Duration.ofSeconds(60);

  private static Path profile;
  private static WebDriver browser;

  @BeforeAll
  static void openBrowser() throws IOException {
    // A fresh profile, and no network of Chromium's own (updates, sync, sign-in).
    profile = Files.createTempDirectory("console-it-chromium");
    ChromeOptions options =
        new ChromeOptions()
            .addArguments(
                "--headless=new",
                "--no-sandbox",
                "--disable-gpu",
                "--disable-dev-shm-usage",
                "--disable-background-networking",
                "--disable-component-update",
                "--disable-sync",
                "--no-first-run",
                "--window-size=1280,2000",
                "--user-data-dir=" + profile);
    Optional<Path> localBrowser = firstExecutable(LOCAL_BROWSERS);
    Optional<Path> localDriver = firstExecutable(LOCAL_DRIVERS);
    if (localBrowser.isPresent() && localDriver.isPresent()) {
      // Both named explicitly: Selenium Manager then neither looks for nor downloads anything.
      options.setBinary(localBrowser.get().toFile());
      ChromeDriverService service =
          new ChromeDriverService.Builder()
              .usingDriverExecutable(localDriver.get().toFile())
              .build();
      browser = new ChromeDriver(service, options);
    } else {
      browser = new ChromeDriver(options); // Selenium Manager provides browser and driver
    }
  }

  private static Optional<Path> firstExecutable(List<Path> candidates) {
    return candidates.stream().filter(Files::isExecutable).findFirst();
  }

  @AfterAll
  static void closeBrowser() throws IOException {
    if (browser != null) {
      browser.quit();
    }
    if (profile != null) {
      try (var files = Files.walk(profile)) {
        files.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
      }
    }
  }

  @Test
  void anOperatorWatchesLiveFiguresAndStartsAPurge() throws IOException {
    String operator = "it-console-operator";
    PurgeRuns purges = new PurgeRuns(Api.as(TestTokens.token(operator, "operator")));
    WebDriverWait wait = new WebDriverWait(browser, PATIENCE);

    signIn(operator);
    assertThat(browser.getTitle()).isEqualTo("Guardian Store operations");

    // Live figures: the memories count, then the same count after one more record is stored.
    WebElement count =
        wait.until(ExpectedConditions.visibilityOfElementLocated(By.id("count-memories")));
    long before = Long.parseLong(count.getText());
    assertThat(browser.findElement(By.id("health-status")).getText()).isEqualTo("UP");
    assertThat(browser.findElement(By.id("connection-backend")).getText()).isEqualTo("postgresql");
    assertThat(browser.findElements(By.cssSelector("#storage-chart rect.bar")))
        .hasSize(Samples.COLLECTIONS.size());
    assertThat(browser.findElements(By.cssSelector("#retention tr")))
        .hasSize(Samples.COLLECTIONS.size());
    assertThat(browser.findElement(By.id("dashboard")).getText())
        .contains("Schedule: 0 4 1 1 *, next run")
        .doesNotContain("Invalid Date", "NaN", "undefined");
    assertThat(
            Api.post("/api/collections/memories", Samples.record("memories", "it-console"))
                .status())
        .isEqualTo(201);
    wait.until(ExpectedConditions.textToBe(By.id("count-memories"), Long.toString(before + 1)));

    // Start a purge: the page names the new execution, and the jobs list shows it.
    purges.awaitNoRun();
    browser.findElement(By.id("start-purge")).click();
    wait.until(ExpectedConditions.textMatches(By.id("message"), Pattern.compile("Purge started")));
    Matcher started =
        Pattern.compile("execution (\\d+)")
            .matcher(browser.findElement(By.id("message")).getText());
    assertThat(started.find()).isTrue();
    long executionId = Long.parseLong(started.group(1));
    By row = By.cssSelector("#jobs tr[data-execution-id='" + executionId + "']");
    WebElement listed = wait.until(ExpectedConditions.presenceOfElementLocated(row));
    assertThat(listed.getAttribute("data-job")).isEqualTo("retention-purge");
    purges.await(executionId);
    wait.until(ExpectedConditions.textMatches(row, Pattern.compile("COMPLETED")));
    saveScreenshot("console.png");
  }

  @Test
  void aBackupTheServerDoesNotOfferIsReportedNotHidden() {
    WebDriverWait wait = new WebDriverWait(browser, PATIENCE);
    signIn("it-console-operator");
    wait.until(ExpectedConditions.elementToBeClickable(By.id("start-backup"))).click();

    wait.until(ExpectedConditions.textMatches(By.id("message"), Pattern.compile("Backup")));
    String message = browser.findElement(By.id("message")).getText();
    if (offersBackups()) {
      assertThat(message).matches("Backup (started: execution \\d+|refused \\(\\d+\\)).*");
    } else {
      assertThat(message).contains("not available on this server").contains("answered 404");
      assertThat(browser.findElement(By.id("message")).getAttribute("class")).contains("error");
    }
  }

  @Test
  void aRefusedTokenIsSaidAndForgotten() {
    WebDriverWait wait = new WebDriverWait(browser, PATIENCE);
    browser.get(Api.BASE_URL + "/console/");
    browser.findElement(By.id("sign-out")).click();
    browser.findElement(By.id("token")).sendKeys("not-a-token");
    browser.findElement(By.id("sign-in")).click();

    wait.until(ExpectedConditions.textMatches(By.id("message"), Pattern.compile("401")));
    assertThat(browser.findElement(By.id("dashboard")).isDisplayed()).isFalse();
  }

  /** What the page looked like, for a person to review: target/console.png. */
  private static void saveScreenshot(String name) throws IOException {
    Path target = Path.of("target", name);
    Files.write(target, ((TakesScreenshot) browser).getScreenshotAs(OutputType.BYTES));
  }

  private static void signIn(String operator) {
    browser.get(Api.BASE_URL + "/console/");
    browser.findElement(By.id("token")).sendKeys(TestTokens.token(operator, "operator"));
    browser.findElement(By.id("sign-in")).click();
  }

  /** Whether this server has the backup endpoint (its OpenAPI document lists every endpoint). */
  private static boolean offersBackups() {
    Api.Reply openapi = Api.anonymous().get(Api.SERVER_URL + "/openapi");
    assertThat(openapi.status()).isEqualTo(200);
    return openapi.raw().body().contains("/api/backups:");
  }
}
