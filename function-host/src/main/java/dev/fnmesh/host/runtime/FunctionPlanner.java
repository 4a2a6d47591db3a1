package dev.fnmesh.host.runtime;

import dev.fnmesh.mesh.CommandKind;
import dev.fnmesh.mesh.FunctionSpec;
import dev.fnmesh.mesh.HttpKind;
import dev.fnmesh.mesh.ImageKind;
import dev.fnmesh.mesh.JavaKind;
import dev.fnmesh.mesh.MeshException;
import dev.fnmesh.function.FunctionContext;
import dev.fnmesh.host.FunctionContainers;
import dev.fnmesh.host.FunctionInstances;
import dev.fnmesh.host.FunctionRegistry;
import dev.fnmesh.host.FunctionSecrets;
import dev.fnmesh.host.HostedFunction;
import dev.fnmesh.host.HttpHostedFunction;
import dev.fnmesh.host.ImageHostedFunction;
import dev.fnmesh.host.JavaHostedFunction;
import dev.fnmesh.host.JarFunctions;
import dev.fnmesh.host.ProcessHostedFunction;
import dev.fnmesh.host.ProcessRecords;
import io.vertx.core.Future;
import io.vertx.core.Vertx;

import java.net.URI;

import java.nio.file.Path;
import java.util.function.Supplier;

/**
 * Resolves one function of the mesh file: a Java class (from the host's class path or from a jar in the
 * functions directory), an HTTP endpoint, a command the host runs, or an image the host runs as a container or
 * reaches where it was told it runs. Starts nothing, and reads no secret:
 * those of {@code env:} and {@code config:} are read as an instance starts, on the host that runs it, so a
 * controller that plans a mesh to check it never needs them.
 */
public final class FunctionPlanner {

  private final Vertx vertx;
  private final FunctionRegistry registry;
  private final JarFunctions jars;
  private final Supplier<Path> baseDirectory;
  private final ProcessRecords processRecords;
  private final FunctionSecrets secrets;
  private final FunctionContainers containers;

  /**
   * @param baseDirectory gives, when a function is planned, what a command function's relative working
   *     directory is resolved against (a host learns it with the mesh)
   * @param processRecords where the processes of command functions are noted
   * @param secrets reads the secrets of functions' env and config as their instances start
   * @param containers where image functions run
   */
  public FunctionPlanner(Vertx vertx, FunctionRegistry registry, JarFunctions jars, Supplier<Path> baseDirectory,
      ProcessRecords processRecords, FunctionSecrets secrets, FunctionContainers containers) {
    this.vertx = vertx;
    this.registry = registry;
    this.jars = jars;
    this.baseDirectory = baseDirectory;
    this.processRecords = processRecords;
    this.secrets = secrets;
    this.containers = containers;
  }

  /** @throws MeshException of kind cannot-run-here, naming the function and why it cannot be resolved here */
  HostedFunction plan(FunctionSpec spec) {
    FunctionContext context = new FunctionContext(vertx, spec.name(), spec.config());
    try {
      if (spec.kind() instanceof JavaKind java) {
        FunctionRegistry.Lookup lookup = java.jar().map(jar -> jars.find(jar, java.className()))
            .orElseGet(() -> registry.find(java.className()));
        if (lookup.function().isEmpty()) {
          throw new IllegalArgumentException(lookup.error());
        }
        return new JavaHostedFunction(lookup.function().get(), context, java.blocking(), secrets);
      }
      if (spec.kind() instanceof HttpKind http) {
        return new HttpHostedFunction(http, context, FunctionInstances.http(spec.name(), http, vertx));
      }
      if (spec.kind() instanceof ImageKind image) {
        return new ImageHostedFunction(image, context, imageInstances(spec.name(), image));
      }
      CommandKind command = (CommandKind) spec.kind();
      Path workingDir = baseDirectory.get().resolve(command.workingDir()).normalize();
      return new ProcessHostedFunction(command, workingDir, context,
          FunctionInstances.process(spec.name(), command, workingDir, processRecords, secrets, vertx));
    } catch (IllegalArgumentException e) {
      throw MeshException.cannotRunHere("functions." + spec.name(),
          "function '" + spec.name() + "': " + e.getMessage(), e);
    }
  }

  private FunctionInstances imageInstances(String name, ImageKind image) {
    URI running = containers.runningAt().get(name);
    if (running != null) {
      // Already running beside this host: reached as an http function, at its path.
      String base = running.toString().replaceAll("/+$", "");
      HttpKind http = new HttpKind(URI.create(base + image.path()), image.concurrency(), image.maxWaiting(), false);
      return FunctionInstances.http(name, http, vertx);
    }
    if (containers.engine().isPresent()) {
      return FunctionInstances.container(name, image, containers, baseDirectory.get(), processRecords, secrets, vertx);
    }
    if (containers.planOnly()) {
      return () -> Future.failedFuture("function '" + name + "' runs in a container on the hosts, not here");
    }
    throw new IllegalArgumentException("it runs the image " + image.image() + " in a container, and no container"
        + " engine was found (" + containers.looked() + "): install podman or docker, name one with"
        + " --container-engine, or say where the function already runs with --function-url " + name + "=URL");
  }
}
