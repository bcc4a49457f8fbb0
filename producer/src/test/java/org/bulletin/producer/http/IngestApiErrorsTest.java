package org.bulletin.producer.http;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpResponse;
import java.io.InputStream;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Every refusal of the ingest API; Kafka is unreachable here, so a valid report gets 503. */
class IngestApiErrorsTest {
  private static TestProducer producer;

  @BeforeAll
  static void start() {
    producer = new TestProducer("127.0.0.1:1", Map.of("producer.send.timeout.ms", "1500",
        "producer.body.limit.bytes", "1048576"));
  }

  @AfterAll
  static void stop() {
    producer.close();
  }

  private HttpResponse<Buffer> call(HttpMethod method, String path, String contentType, Buffer body, String token) {
    var request = producer.client.request(method, producer.port, "127.0.0.1", path);
    if (token != null) {
      request.putHeader("Authorization", "Bearer " + token);
    }
    if (contentType != null) {
      request.putHeader("Content-Type", contentType);
    }
    return (body == null ? request.send() : request.sendBuffer(body)).await();
  }

  private HttpResponse<Buffer> post(String contentType, String body) {
    return call(HttpMethod.POST, "/v1/reports", contentType, Buffer.buffer(body), TestProducer.TOKEN);
  }

  private static JsonObject problem(HttpResponse<Buffer> response, int status, String code) {
    assertThat(response.statusCode()).as(response.bodyAsString()).isEqualTo(status);
    assertThat(response.getHeader("Content-Type")).isEqualTo("application/problem+json");
    JsonObject body = response.bodyAsJsonObject();
    assertThat(body.getString("code")).isEqualTo(code);
    assertThat(body.getInteger("status")).isEqualTo(status);
    assertThat(body.getString("type")).endsWith("/" + code);
    return body;
  }

  @Test
  void refusesRequestsWithoutAValidToken() {
    problem(call(HttpMethod.POST, "/v1/reports", "text/plain", Buffer.buffer("x"), null), 401, "unauthorized");
    problem(call(HttpMethod.DELETE, "/v1/reports/a-b", null, null, "wrong"), 401, "unauthorized");
  }

  @Test
  void schemaErrorsListEveryFailingPointer() {
    JsonObject body = problem(post("application/json",
        "{\"title\":\"\",\"publishedDate\":\"2024-02-30\",\"body\":[\"ok\"],\"presider\":{\"role\":\"x\"},\"extra\":1}"),
        422, "schema-violation");
    assertThat(body.getJsonArray("errors").stream().map(e -> ((JsonObject) e).getString("pointer")))
        .contains("/title", "/publishedDate", "/extra");
  }

  private static List<String> pointers(JsonObject problem) {
    return problem.getJsonArray("errors").stream().map(e -> ((JsonObject) e).getString("pointer")).toList();
  }

  @Test
  void charactersXmlForbidsAreRefusedWith422NamingPointerAndCodePoint() {
    JsonObject body = problem(post("application/json", "{\"title\":\"Budget\\u000bmeeting\",\"publishedDate\":\"2024-03-05\","
        + "\"body\":[\"fine\", \"lone \\ud800 surrogate\"],\"summary\":\"\\uffff\"}"), 422, "illegal-character");
    assertThat(body.getString("detail")).startsWith("/title contains U+000B, which XML 1.0 does not allow");
    assertThat(pointers(body)).containsExactly("/title", "/body/1", "/summary");
    assertThat(body.getJsonArray("errors").getJsonObject(1).getString("detail")).contains("U+D800");
    assertThat(body.getJsonArray("errors").getJsonObject(2).getString("detail")).contains("U+FFFF");
  }

  @Test
  void articleWithAVerticalTabIsRefusedNamingLineAndColumn() {
    JsonObject body = problem(post("text/plain", "Erqi District meets\n2024-03-05\nOn March 1, Sun Li\u000Bpresided."),
        422, "illegal-character");
    assertThat(body.getString("detail")).contains("line 3, column 19 of the article contains U+000B, which XML 1.0 does not allow");
  }

  @Test
  void aTextArticleIsToldEveryProblemNotOnlyTheFirst() {
    JsonObject body = problem(post("text/plain", "2024-03-05\nnot a date"), 400, "not-an-article");
    assertThat(pointers(body)).containsExactly("/title", "/publishedDate", "/body");
    assertThat(body.getString("detail")).contains("(and 2 more, listed in errors)");
    JsonObject both = problem(post("text/plain", "Erqi\u000B meets\nsoon\nBody\u0007."), 422, "illegal-character");
    assertThat(both.getJsonArray("errors")).hasSize(3);
    assertThat(both.getJsonArray("errors").getJsonObject(2).getString("detail")).contains("publication date");
  }

  @Test
  void onlyHttpAndHttpsSourceUrlsAreAccepted() {
    JsonObject body = problem(post("application/json", "{\"title\":\"T\",\"publishedDate\":\"2024-03-05\","
        + "\"body\":[\"b\"],\"sourceUrl\":\"javascript:alert(document.cookie)\"}"), 422, "unsupported-url");
    assertThat(pointers(body)).containsExactly("/sourceUrl");
    assertThat(body.getString("detail")).contains("/sourceUrl", "http or https", "'javascript'");
    problem(post("application/json", "{\"title\":\"T\",\"publishedDate\":\"2024-03-05\","
        + "\"body\":[\"b\"],\"sourceUrl\":\"https://www.example.gov/a\"}"), 503, "kafka-unavailable");
  }

  @Test
  void reportDatesBefore1900OrMoreThanADayAheadAreRefused() {
    JsonObject body = problem(post("application/json", "{\"title\":\"T\",\"publishedDate\":\"9999-12-31\","
        + "\"meetingDate\":\"1899-12-31\",\"body\":[\"b\"]}"), 422, "date-out-of-range");
    assertThat(pointers(body)).containsExactlyInAnyOrder("/publishedDate", "/meetingDate");
    String tomorrow = java.time.LocalDate.now(java.time.ZoneOffset.UTC).plusDays(1).toString();
    problem(post("application/json", "{\"title\":\"T\",\"publishedDate\":\"" + tomorrow + "\",\"body\":[\"b\"]}"),
        503, "kafka-unavailable");
  }

  @Test
  void retractionReasonIsCheckedLikeAReport() {
    JsonObject body = problem(call(HttpMethod.DELETE, "/v1/reports/a-b", "application/json",
        Buffer.buffer("{\"reason\":\"duplicate\\u0007\"}"), TestProducer.TOKEN), 422, "illegal-character");
    assertThat(pointers(body)).containsExactly("/reason");
    problem(call(HttpMethod.DELETE, "/v1/reports/a-b", "application/json",
        Buffer.buffer("{\"reason\":\"" + "x".repeat(2001) + "\"}"), TestProducer.TOKEN), 422, "schema-violation");
  }

  @Test
  void malformedEmptyBinaryAndNonArticleInputsAreNamed() {
    assertThat(problem(post("application/json", "{\"title\": "), 400, "malformed-json").getString("detail"))
        .contains("line 1");
    problem(post("application/json", ""), 400, "empty-document");
    problem(post("text/plain", "   "), 400, "empty-document");
    problem(call(HttpMethod.POST, "/v1/reports", "text/plain",
        Buffer.buffer(new byte[] {0x7f, 'E', 'L', 'F', 0, 0, 0}), TestProducer.TOKEN), 400, "not-text");
    problem(post("text/plain", "Just one line"), 400, "not-an-article");
    problem(post("application/xml", "<report/>"), 415, "unsupported-media-type");
    problem(call(HttpMethod.PUT, "/v1/reports/Bad_Id", "text/plain", Buffer.buffer("T\n2024-01-01\nB"),
        TestProducer.TOKEN), 400, "invalid-id");
  }

  @Test
  void wrongMethodAnswers405WithAnAllowHeader() {
    HttpResponse<Buffer> response = call(HttpMethod.DELETE, "/v1/reports", null, null, TestProducer.TOKEN);
    problem(response, 405, "method-not-allowed");
    assertThat(response.getHeader("Allow")).isEqualTo("POST");
  }

  @Test
  void tenMegabyteBodyIsRefusedWith413() {
    byte[] huge = new byte[10 * 1024 * 1024];
    java.util.Arrays.fill(huge, (byte) 'a');
    HttpResponse<Buffer> response = call(HttpMethod.POST, "/v1/reports", "text/plain", Buffer.buffer(huge),
        TestProducer.TOKEN);
    JsonObject body = problem(response, 413, "payload-too-large");
    assertThat(body.getString("detail")).contains("1048576 bytes")
        .contains("BULLETIN_PRODUCER_BODY_LIMIT_BYTES");
  }

  @Test
  void validReportWhileKafkaIsDownAnswers503SayingTheOutcomeIsUnknownAndRetryIsSafe() {
    HttpResponse<Buffer> response = post("text/plain", "Erqi District meets\n2024-03-05\nOn March 1, Sun Li presided over the meeting.");
    JsonObject body = problem(response, 503, "kafka-unavailable");
    assertThat(response.getHeader("Retry-After")).isEqualTo("5");
    assertThat(body.getString("detail")).contains("is unknown").contains("Retrying the same request is safe")
        .doesNotContain("nothing was published");
  }

  @Test
  void readinessIsDownWhileTopicsCannotBeCreated() {
    HttpResponse<Buffer> ready = call(HttpMethod.GET, "/health/ready", null, null, null);
    assertThat(ready.statusCode()).isEqualTo(503);
    JsonObject kafka = ready.bodyAsJsonObject().getJsonObject("kafka");
    assertThat(kafka.getString("status")).isEqualTo("DOWN");
    assertThat(kafka.getString("reason")).startsWith("Kafka at 127.0.0.1:1 does not answer");
    assertThat(call(HttpMethod.GET, "/health/live", null, null, null).statusCode()).isEqualTo(200);
  }

  @Test
  void everyDocumentedOperationIsServed() throws Exception {
    JsonNode doc;
    try (InputStream in = getClass().getResourceAsStream(org.bulletin.producer.ProducerVerticle.OPENAPI)) {
      doc = new ObjectMapper(new YAMLFactory()).readTree(in);
    }
    assertThat(doc.path("openapi").asText()).startsWith("3.1");
    int operations = 0;
    for (Iterator<Map.Entry<String, JsonNode>> paths = doc.get("paths").fields(); paths.hasNext(); ) {
      Map.Entry<String, JsonNode> path = paths.next();
      for (Iterator<String> methods = path.getValue().fieldNames(); methods.hasNext(); ) {
        String method = methods.next();
        if (method.equals("parameters")) {
          continue;
        }
        String url = path.getKey().replace("{id}", "some-report");
        HttpResponse<Buffer> response = call(HttpMethod.valueOf(method.toUpperCase()), url, null, null, null);
        assertThat(response.statusCode()).as(method + " " + url).isNotIn(404, 405);
        operations++;
      }
    }
    assertThat(operations).isEqualTo(6);
    HttpResponse<Buffer> served = call(HttpMethod.GET, "/openapi.yaml", null, null, null);
    assertThat(served.bodyAsString()).contains("Bulletin ingest API");
  }

  @Test
  void unknownRouteAndMethodAreProblems() {
    problem(call(HttpMethod.GET, "/v2/nothing", null, null, null), 404, "not-found");
    problem(call(HttpMethod.PATCH, "/v1/reports", null, null, TestProducer.TOKEN), 405, "method-not-allowed");
  }
}
