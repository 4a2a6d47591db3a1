package dev.fnmesh.launcher.logging;

import picocli.CommandLine.Option;

/** The option of the processes that run (up, host, controller, kafka) that picks their log format. */
public final class LogOptions {

  @Option(names = "--log-format", paramLabel = "FORMAT",
      description = "text for people, json for log collectors: one JSON object per line (default: ${DEFAULT-VALUE}).")
  LogFormat format = LogFormat.text;

  /** Applies the format; call it before the process logs anything worth reading. */
  public void apply() {
    format.apply();
  }
}
