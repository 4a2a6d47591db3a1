package dev.fnmesh.launcher.render;

import picocli.CommandLine.Command;

/** {@code fnmesh render}: the mesh in the form another platform runs. */
@Command(name = "render", mixinStandardHelpOptions = true,
    description = "Render the mesh for another platform.",
    subcommands = {KubernetesCommand.class, HelmValuesCommand.class})
public final class RenderCommand {}
