package dev.fnmesh.launcher.logging;

import org.apache.logging.log4j.core.LoggerContext;

/**
 * How a running fnmesh process writes its log to stderr: text lines for people (the default) or one JSON object
 * per line for log collectors. Both come from {@code log4j2.xml}, which picks its layout by the system property
 * {@value #PROPERTY}; the same loggers and levels serve both.
 */
public enum LogFormat {
  text,
  json;

  /** The system property {@code log4j2.xml} reads; any value but {@code json} means text. */
  public static final String PROPERTY = "fnmesh.log.format";

  /**
   * Makes this the format of every line logged from now on. Log4j read its configuration with the first
   * logger already (picocli builds the command's options, whose classes have loggers), so it reads it again.
   */
  public void apply() {
    if (name().equals(System.getProperty(PROPERTY, text.name()))) {
      return;
    }
    System.setProperty(PROPERTY, name());
    LoggerContext.getContext(false).reconfigure();
  }
}
