package dev.fnmesh.mesh.load;

import dev.fnmesh.mesh.CesqlExpressions;
import dev.fnmesh.mesh.DeliverySettings;
import dev.fnmesh.mesh.MeshProblem;
import dev.fnmesh.mesh.StartFrom;
import dev.fnmesh.mesh.WebhookSource;
import com.fasterxml.jackson.databind.JsonNode;

import java.time.DateTimeException;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * Checks the triggers for what the schema cannot say: a kafka trigger with a trigger-level topic, a
 * webhook that checks signatures without a secret (its own hmac or any provider's), two webhooks on one path, an unknown time zone, a zero
 * duration, a start time that is no time (month 13) and a CloudEvents SQL expression that does not parse. Tolerates a document that breaks the
 * schema, looking only at values of the expected type, so that these problems are reported with the others.
 */
final class TriggerChecks {

  private static final String SECRET_FORM = "secret: { env: NAME } or secret: { file: PATH }";
  // What each provider's preset checks with the secret, for the problem of a provider without one.
  private static final Map<String, String> PROVIDER_CHECKS = Map.of(
      WebhookSource.GITHUB, "the X-Hub-Signature-256 signature",
      WebhookSource.GITLAB, "the X-Gitlab-Token header",
      WebhookSource.SLACK, "the X-Slack-Signature signature",
      WebhookSource.STANDARD_WEBHOOKS, "the webhook-signature signature",
      WebhookSource.STRIPE, "the Stripe-Signature signature");
  // As the schema's pattern for kafka.startFrom.timestamp.
  private static final Pattern RFC_3339 =
      Pattern.compile("^[0-9]{4}-[0-9]{2}-[0-9]{2}T[0-9]{2}:[0-9]{2}:[0-9]{2}(\\.[0-9]+)?(Z|[+-][0-9]{2}:[0-9]{2})$");
  private static final List<String> DURATIONS = List.of("backoffDelay", "backoffMax", "timeout");

  private final YamlDocument document;
  private final List<MeshProblem> problems = new ArrayList<>();
  // The first trigger seen with each webhook path, so that a repeat names where the path is taken.
  private final Map<String, String> webhookPaths = new HashMap<>();

  private TriggerChecks(YamlDocument document) {
    this.document = document;
  }

  /** Every such problem of the document's triggers, each at the key concerned; empty when there is none. */
  static List<MeshProblem> check(YamlDocument document) {
    TriggerChecks checks = new TriggerChecks(document);
    document.root().path("triggers").properties().forEach(entry -> checks.trigger(entry.getKey(), entry.getValue()));
    return checks.problems;
  }

  private void trigger(String name, JsonNode trigger) {
    if (!trigger.isObject()) {
      return;
    }
    // The schema cannot word "one of the two" well: its own message would name neither as the fix.
    if (!trigger.has("function") && !trigger.has("steps")) {
      report(List.of("triggers", name), "missing required key \"function\" (the name of the function that receives"
          + " the events; or steps: a sequence of functions)");
    } else if (trigger.has("function") && trigger.has("steps")) {
      report(List.of("triggers", name, "steps"), "a trigger has either function (one function) or steps (a sequence"
          + " of functions), not both");
    }
    if (trigger.has("kafka")) {
      if (trigger.has("topic")) {
        report(List.of("triggers", name, "topic"), "a kafka trigger consumes the topic of its source: use "
            + "kafka.topic (a trigger-level topic is for webhook and cron triggers only)");
      }
      if (trigger.has("partitions")) {
        report(List.of("triggers", name, "partitions"), "a kafka trigger's topic is created with the partitions "
            + "of its source: use kafka.partitions (trigger-level partitions are for webhook and cron triggers only)");
      }
    }
    webhook(name, trigger.path("webhook"));
    startTime(name, trigger.path("kafka").path("startFrom").path("timestamp"));
    timezone(List.of("triggers", name, "cron", "timezone"), trigger.path("cron").path("timezone"));
    for (String key : DURATIONS) {
      positive(List.of("triggers", name, "delivery", key), trigger.path("delivery").path(key));
    }
    positive(List.of("triggers", name, "delivery", "batch", "maxWait"),
        trigger.path("delivery").path("batch").path("maxWait"));
    sql(new ArrayList<>(List.of("triggers", name, "filter")), trigger.path("filter"));
    JsonNode reply = trigger.path("reply");
    for (int i = 0; reply.isArray() && i < reply.size(); i++) {
      sql(new ArrayList<>(List.<Object>of("triggers", name, "reply", i, "filter")), reply.get(i).path("filter"));
    }
    JsonNode steps = trigger.path("steps");
    for (int i = 0; steps.isArray() && i < steps.size(); i++) {
      JsonNode own = steps.get(i).path("delivery");
      for (String key : DURATIONS) {
        positive(List.<Object>of("triggers", name, "steps", i, "delivery", key), own.path(key));
      }
      // A step delivers with the trigger's keys where it has none of its own: the pair is checked as it runs.
      String guarantee = (own.has("guarantee") ? own : trigger.path("delivery")).path("guarantee").asText();
      String ordering = (own.has("ordering") ? own : trigger.path("delivery")).path("ordering").asText("ordered");
      if (own.isObject() && (own.has("guarantee") || own.has("ordering")) && "exactly-once".equals(guarantee)
          && !"ordered".equals(ordering)) {
        report(List.<Object>of("triggers", name, "steps", i, "delivery"), DeliverySettings.EXACTLY_ONCE_UNORDERED);
      }
    }
    JsonNode delivery = trigger.path("delivery");
    if ("exactly-once".equals(delivery.path("guarantee").asText()) && delivery.has("ordering")
        && !"ordered".equals(delivery.path("ordering").asText())) {
      report(List.of("triggers", name, "delivery", "guarantee"), DeliverySettings.EXACTLY_ONCE_UNORDERED);
    }
  }

  // The schema's pattern lets through a time of the right shape that is no time, such as month 13.
  private void startTime(String trigger, JsonNode timestamp) {
    if (!timestamp.isTextual() || !RFC_3339.matcher(timestamp.asText()).matches()) {
      return;
    }
    try {
      StartFrom.time(timestamp.asText());
    } catch (IllegalArgumentException e) {
      report(List.of("triggers", trigger, "kafka", "startFrom", "timestamp"), e.getMessage());
    }
  }

  private void webhook(String trigger, JsonNode webhook) {
    if (!webhook.isObject()) {
      return;
    }
    List<String> at = List.of("triggers", trigger, "webhook");
    if (!webhook.has("secret")) {
      if (webhook.has("hmac")) {
        report(at, "missing required key \"secret\" (a webhook with hmac checks signatures with it: "
            + SECRET_FORM + ")");
      } else if (PROVIDER_CHECKS.containsKey(webhook.path("provider").asText())) {
        String provider = webhook.path("provider").asText();
        report(at, "missing required key \"secret\" (provider " + provider + " checks "
            + PROVIDER_CHECKS.get(provider) + " with it: " + SECRET_FORM + ")");
      }
    }
    positive(List.of("triggers", trigger, "webhook", "hmac", "timestamp", "tolerance"),
        webhook.path("hmac").path("timestamp").path("tolerance"));
    JsonNode path = webhook.path("path");
    if (path.isTextual()) {
      String first = webhookPaths.putIfAbsent(path.asText(), trigger);
      if (first != null) {
        int line = document.lineOf(List.of("triggers", first, "webhook", "path"));
        report(List.of("triggers", trigger, "webhook", "path"), "the path " + SchemaMessages.describe(path)
            + " is already taken by trigger " + first + " at line " + line + "; give each webhook its own path");
      }
    }
  }

  private void timezone(List<String> at, JsonNode timezone) {
    if (!timezone.isTextual() || timezone.asText().isEmpty()) {
      return;
    }
    try {
      ZoneId.of(timezone.asText());
    } catch (DateTimeException e) {
      Optional<String> meant = SchemaMessages.closest(timezone.asText(), List.copyOf(ZoneId.getAvailableZoneIds()));
      report(at, "must be a time zone ID such as UTC or Europe/London, got " + SchemaMessages.describe(timezone)
          + meant.map(zone -> " (did you mean \"" + zone + "\"?)").orElse(""));
    }
  }

  private void positive(List<?> at, JsonNode duration) {
    PositiveDuration.problem(duration).ifPresent(problem -> report(at, problem));
  }

  private void sql(List<Object> at, JsonNode filter) {
    JsonNode sql = filter.path("sql");
    if (sql.isTextual() && !sql.asText().isEmpty()) {
      Optional<String> error = CesqlExpressions.problem(sql.asText());
      if (error.isPresent()) {
        at.add("sql");
        // The parser's message quotes the expression, so it is not repeated here.
        report(at, "must be a CloudEvents SQL (CESQL v1) expression: " + error.get());
        at.remove(at.size() - 1);
      }
    }
    for (String key : List.of("all", "any")) {
      JsonNode filters = filter.path(key);
      for (int i = 0; filters.isArray() && i < filters.size(); i++) {
        at.add(key);
        at.add(i);
        sql(at, filters.get(i));
        at.subList(at.size() - 2, at.size()).clear();
      }
    }
    if (filter.has("not")) {
      at.add("not");
      sql(at, filter.path("not"));
      at.remove(at.size() - 1);
    }
  }

  private void report(List<?> at, String message) {
    problems.add(document.problemAt(at, message));
  }
}
