package io.wafleet.functions.api;

import io.wafleet.functions.http.ApiErrorCode;
import io.wafleet.functions.http.ApiException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeSet;

/**
 * Maps (method, path) to a route. Templates are '/'-separated with {@code {name}} segments; a path
 * no template matches is 404, a path some template matches under another method is 405 with the
 * allowed methods. The runtime hands over the path already percent-decoded (Jetty's canonical path),
 * so segments are used as they are: decoding them again would turn {@code %2541} into {@code A}.
 * Built once, then read-only; thread-safe.
 */
final class Router {

  /** A route: method, template such as {@code /v1/accounts/{id}}, who may call it, and its handler. */
  record Route(String method, String template, Access access, Handler handler) {
    Route {
      Objects.requireNonNull(method, "method == null");
      Objects.requireNonNull(template, "template == null");
      Objects.requireNonNull(access, "access == null");
      Objects.requireNonNull(handler, "handler == null");
    }
  }

  /** A matched route and the values of its {@code {name}} segments. */
  record Match(Route route, Map<String, String> params) {}

  private final List<Route> routes = new ArrayList<>();

  Router add(String method, String template, Access access, Handler handler) {
    routes.add(new Route(method, template, access, handler));
    return this;
  }

  Match match(String method, String path) {
    String[] segments = split(path);
    TreeSet<String> allowed = new TreeSet<>();
    for (Route route : routes) {
      Map<String, String> params = bind(split(route.template()), segments);
      if (params == null) {
        continue;
      }
      if (route.method().equals(method)) {
        return new Match(route, params);
      }
      allowed.add(route.method());
    }
    if (allowed.isEmpty()) {
      throw new ApiException(ApiErrorCode.NOT_FOUND, "no endpoint at this path");
    }
    throw new MethodNotAllowedException(String.join(", ", allowed));
  }

  private static Map<String, String> bind(String[] template, String[] segments) {
    if (template.length != segments.length) {
      return null;
    }
    Map<String, String> params = new HashMap<>();
    for (int i = 0; i < template.length; i++) {
      String t = template[i];
      if (t.startsWith("{") && t.endsWith("}")) {
        params.put(t.substring(1, t.length() - 1), segments[i]);
      } else if (!t.equals(segments[i])) {
        return null;
      }
    }
    return params;
  }

  private static String[] split(String path) {
    String p = path == null || path.isEmpty() ? "/" : path;
    if (p.length() > 1 && p.endsWith("/")) {
      p = p.substring(0, p.length() - 1);
    }
    return p.split("/", -1);
  }

  /** 405: carries the Allow header's value. */
  static final class MethodNotAllowedException extends RuntimeException {
    private final String allow;

    MethodNotAllowedException(String allow) {
      super("method not allowed", null, false, false);
      this.allow = allow;
    }

    String allow() {
      return allow;
    }
  }
}
