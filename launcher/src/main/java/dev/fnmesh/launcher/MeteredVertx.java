package dev.fnmesh.launcher;

import dev.fnmesh.host.metrics.ProcessMetrics;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import io.vertx.micrometer.Label;
import io.vertx.micrometer.MetricsDomain;
import io.vertx.micrometer.MicrometerMetricsFactory;
import io.vertx.micrometer.MicrometerMetricsOptions;

import java.util.EnumSet;

/**
 * The Vert.x of a process, publishing its HTTP server and client metrics ({@code vertx_http_*}) to the
 * process's registry. Requests are told apart by route ({@code /topics/:topic}), method and status code,
 * never by raw path or remote address, whose values have no bound.
 */
final class MeteredVertx {

  private MeteredVertx() {}

  static Vertx create(ProcessMetrics metrics) {
    MicrometerMetricsOptions options = new MicrometerMetricsOptions()
        .setEnabled(true)
        .setLabels(EnumSet.of(Label.HTTP_ROUTE, Label.HTTP_METHOD, Label.HTTP_CODE, Label.POOL_TYPE, Label.POOL_NAME))
        // The event bus carries no events of fnmesh's; its series would be noise.
        .addDisabledMetricsCategory(MetricsDomain.EVENT_BUS);
    return Vertx.builder()
        .with(new VertxOptions().setMetricsOptions(options))
        .withMetrics(new MicrometerMetricsFactory(metrics.registry()))
        .build();
  }
}
