package dev.fnmesh.broker;

import io.vertx.ext.web.Router;

/**
 * Routes a module offers an fnmesh process. A process builds one router from the surfaces it serves, so
 * whatever applies to every request (the health check, a 404 that says what exists) is added in one place.
 */
public interface HttpSurface {

  /** Adds the routes; called once, before the process listens. */
  void mount(Router router);

  /** The routes in words, such as {@code POST /topics/{topic}}, for a 404 that says what exists. */
  String routes();
}
