package dev.fnmesh.access;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * What a caller may do.
 *
 * @param publish the topics it may publish to, names or globs ({@code shop.*})
 * @param invoke the functions it may call, names or globs
 * @param read whether it may read the mesh API and the metrics
 * @param admin whether it may do everything, change the mesh included
 */
public record Grants(List<String> publish, List<String> invoke, boolean read, boolean admin) {

  /** Grants nothing: the caller is known but may do nothing. */
  public static final Grants NONE = new Grants(List.of(), List.of(), false, false);

  public Grants {
    publish = List.copyOf(publish);
    invoke = List.copyOf(invoke);
  }

  /**
   * The grants of an OAuth-style {@code scope}: space-separated {@code publish:<glob>}, {@code invoke:<glob>},
   * {@code read} and {@code admin}; any other scope grants nothing here.
   */
  public static Grants fromScope(String scope) {
    List<String> publish = new ArrayList<>();
    List<String> invoke = new ArrayList<>();
    boolean read = false;
    boolean admin = false;
    for (String item : scope.trim().split("\\s+")) {
      if (item.startsWith("publish:") && item.length() > "publish:".length()) {
        publish.add(item.substring("publish:".length()));
      } else if (item.startsWith("invoke:") && item.length() > "invoke:".length()) {
        invoke.add(item.substring("invoke:".length()));
      } else if (item.equals("read")) {
        read = true;
      } else if (item.equals("admin")) {
        admin = true;
      }
    }
    return new Grants(publish, invoke, read, admin);
  }

  /** @return the grant the request needs and these grants lack, such as {@code publish:orders}; empty when allowed */
  public Optional<String> lacking(Need need) {
    if (admin) {
      return Optional.empty();
    }
    boolean allowed = need instanceof Need.Open || need instanceof Need.Known
        || need instanceof Need.Publish p && matchesAny(publish, p.topic())
        || need instanceof Need.Invoke i && matchesAny(invoke, i.function())
        || need instanceof Need.Read && read;
    return allowed ? Optional.empty() : Optional.of(need.grant());
  }

  private static boolean matchesAny(List<String> globs, String name) {
    for (String glob : globs) {
      if (glob(glob).matcher(name).matches()) {
        return true;
      }
    }
    return false;
  }

  /** {@code *} stands for any run of characters, dots included; everything else stands for itself. */
  static Pattern glob(String glob) {
    StringBuilder regex = new StringBuilder();
    for (String part : glob.split("\\*", -1)) {
      if (regex.length() > 0) {
        regex.append(".*");
      }
      regex.append(Pattern.quote(part));
    }
    return Pattern.compile(regex.toString());
  }
}
