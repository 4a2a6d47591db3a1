package dev.fnmesh.examples;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.fnmesh.function.Function;
import dev.fnmesh.function.FunctionContext;
import dev.fnmesh.function.ItemResult;
import dev.fnmesh.function.PermanentFailure;
import io.cloudevents.CloudEvent;
import io.cloudevents.core.builder.CloudEventBuilder;
import io.vertx.core.Future;

import java.io.IOException;
import java.math.BigDecimal;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * A batch function: books the {@code amount} of each order of a batch at once, as one write to a ledger would,
 * and answers each order with the batch's running total after it. An order without a numeric amount can never
 * be booked: it fails for good and goes to the dead-letter topic, while the rest of its batch is booked.
 */
public final class Ledger implements Function {

  private static final ObjectMapper JSON = new ObjectMapper();

  @Override
  public String name() {
    return "ledger";
  }

  @Override
  public Future<List<ItemResult>> applyBatch(List<CloudEvent> events, FunctionContext context) {
    List<ItemResult> results = new ArrayList<>(events.size());
    BigDecimal total = BigDecimal.ZERO;
    for (CloudEvent event : events) {
      BigDecimal amount = amountOf(event);
      if (amount == null) {
        results.add(ItemResult.permanent(event, "order " + event.getId() + " has no numeric amount"));
        continue;
      }
      total = total.add(amount);
      results.add(ItemResult.replied(event, booked(event, context, total, events.size())));
    }
    return Future.succeededFuture(results);
  }

  /** One order alone: a batch of one. */
  @Override
  public Future<CloudEvent> apply(CloudEvent event, FunctionContext context) {
    BigDecimal amount = amountOf(event);
    return amount == null ? Future.failedFuture(new PermanentFailure("order " + event.getId()
        + " has no numeric amount")) : Future.succeededFuture(booked(event, context, amount, 1));
  }

  private static CloudEvent booked(CloudEvent order, FunctionContext context, BigDecimal total, int batchSize) {
    String data = "{\"order\":\"" + order.getId() + "\",\"batchTotal\":" + total.toPlainString() + ",\"batchSize\":"
        + batchSize + "}";
    return CloudEventBuilder.v1().withId(order.getId() + "-booked")
        .withSource(URI.create("/functions/" + context.functionName()))
        .withType("dev.fnmesh.examples.booked").withSubject(order.getId())
        .withData("application/json", data.getBytes(StandardCharsets.UTF_8)).build();
  }

  private static BigDecimal amountOf(CloudEvent event) {
    if (event.getData() == null) {
      return null;
    }
    try {
      JsonNode amount = JSON.readTree(event.getData().toBytes()).get("amount");
      return amount != null && amount.isNumber() ? amount.decimalValue() : null;
    } catch (IOException e) {
      return null;
    }
  }
}
