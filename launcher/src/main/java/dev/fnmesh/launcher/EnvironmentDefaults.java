package dev.fnmesh.launcher;

import picocli.CommandLine.IDefaultValueProvider;
import picocli.CommandLine.Model.ArgSpec;
import picocli.CommandLine.Model.OptionSpec;

import java.util.Locale;
import java.util.function.Function;

/**
 * Every option can come from the environment, as container platforms expect: {@code --kafka-config} from
 * {@code FNMESH_KAFKA_CONFIG}, {@code --http-host} from {@code FNMESH_HTTP_HOST}. An option on the command line
 * wins over the environment, which wins over the built-in default.
 */
final class EnvironmentDefaults implements IDefaultValueProvider {

  private final Function<String, String> env;

  EnvironmentDefaults(Function<String, String> env) {
    this.env = env;
  }

  /** {@code --kafka-config} → {@code FNMESH_KAFKA_CONFIG}. */
  static String variableOf(String longName) {
    return "FNMESH_" + longName.replaceFirst("^-+", "").replace('-', '_').toUpperCase(Locale.ROOT);
  }

  @Override
  public String defaultValue(ArgSpec argSpec) {
    if (!(argSpec instanceof OptionSpec option) || option.usageHelp() || option.versionHelp()) {
      return null;
    }
    String value = env.apply(variableOf(option.longestName()));
    return value == null || value.isEmpty() ? null : value;
  }
}
