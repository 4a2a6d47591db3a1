package dev.fnmesh.broker;

import dev.fnmesh.broker.impl.HttpEventDecoderImpl;
import io.vertx.core.MultiMap;
import io.vertx.core.buffer.Buffer;

/**
 * Reads CloudEvents from an HTTP request in any of the three modes of the CloudEvents HTTP protocol
 * binding: binary ({@code ce-*} headers), structured ({@code application/cloudevents+json}) and batch
 * ({@code application/cloudevents-batch+json}). Pure and thread-safe: it never touches the network.
 */
public interface HttpEventDecoder {

  String STRUCTURED_JSON = "application/cloudevents+json";
  String BATCH_JSON = "application/cloudevents-batch+json";

  /**
   * Decodes the request.
   *
   * @return every event of the request, or the single problem that refuses the whole request (a batch
   *     with one bad event is refused as a whole)
   */
  DecodedEvents decode(MultiMap headers, Buffer body);

  static HttpEventDecoder create() {
    return new HttpEventDecoderImpl();
  }
}
