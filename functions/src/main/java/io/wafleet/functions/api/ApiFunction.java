package io.wafleet.functions.api;

import com.google.cloud.functions.HttpFunction;
import com.google.cloud.functions.HttpRequest;
import com.google.cloud.functions.HttpResponse;
import io.wafleet.functions.auth.AdminToken;
import io.wafleet.functions.auth.Authenticator;
import io.wafleet.functions.auth.GoogleIdTokens;
import io.wafleet.functions.auth.Principal;
import io.wafleet.functions.auth.ViewLinks;
import io.wafleet.functions.http.ApiError;
import io.wafleet.functions.http.ApiErrorCode;
import io.wafleet.functions.http.ApiErrors;
import io.wafleet.functions.http.ApiException;
import io.wafleet.functions.http.Exchange;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Objects;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The whole HTTP API as one Cloud Function ({@code --target io.wafleet.functions.api.ApiFunction}):
 * one deploy, one cold start. Everything (Firestore client, stores, verifier) is built once per
 * instance; {@link #service} routes, authenticates per the route's {@link Access}, runs the handler
 * and maps any failure through {@link ApiErrors}. Logs one JSON line per request (method, route,
 * status, latency, caller kind) and never a token, QR string, message text or full phone.
 * Thread-safe: the runtime calls {@link #service} concurrently.
 */
public final class ApiFunction implements HttpFunction {

  private static final Logger log = LoggerFactory.getLogger(ApiFunction.class);

  private final Router router;
  private final Authenticator authenticator;
  private final ViewLinks viewLinks;
  private final Clock clock;

  /** The runtime's constructor: reads the environment; refuses to start when it is incomplete. */
  public ApiFunction() {
    this(fromEnvironment(), Clock.systemUTC());
  }

  private ApiFunction(FunctionsConfig config, Clock clock) {
    this(Stores.connect(config, clock), clock, config);
  }

  /** For tests: stores over the emulator, a clock, and a config built in code. */
  ApiFunction(Stores stores, Clock clock, FunctionsConfig config) {
    this.clock = Objects.requireNonNull(clock, "clock == null");
    AdminToken admin = new AdminToken(config.adminToken());
    this.viewLinks = new ViewLinks(admin, clock);
    this.authenticator = new Authenticator(admin, config.idTokens()
        .map(t -> new GoogleIdTokens(t.certsUrl(), t.audience(), t.allowedEmails(), clock)));
    this.router = new Router();
    new AccountsHandler(stores, clock).register(router);
    new QrHandler(stores, clock).register(router);
    new HealthHandler(stores, new StoreProbe(stores.db()), config, clock, clock.instant()).register(router);
    new DashboardHandler(stores, viewLinks, clock).register(router);
    new MessagesHandler(stores, clock).register(router);
    new AdminHandler(stores, clock).register(router);
    new ReportHandler(stores, viewLinks, clock).register(router);
    log.atInfo().addKeyValue("project", config.projectId()).addKeyValue("version", config.version())
        .addKeyValue("idTokens", config.idTokens().isPresent()).log("api function ready");
  }

  private static FunctionsConfig fromEnvironment() {
    try {
      return FunctionsConfig.fromEnv(System.getenv());
    } catch (IllegalArgumentException e) {
      log.error("api function refuses to start: {}", e.getMessage());
      throw e;
    }
  }

  @Override
  public void service(HttpRequest request, HttpResponse response) {
    Instant started = clock.instant();
    String route = "unmatched";
    Caller caller = Caller.anonymous();
    Exchange exchange = new Exchange(request, response, Map.of());
    try {
      Router.Match match = router.match(request.getMethod(), request.getPath());
      route = match.route().template();
      exchange = new Exchange(request, response, match.params());
      caller = authenticate(match.route(), exchange);
      match.route().handler().handle(exchange, caller);
    } catch (Router.MethodNotAllowedException e) {
      exchange.header("Allow", e.allow());
      exchange.error(new ApiError(ApiErrorCode.METHOD_NOT_ALLOWED, "use one of: " + e.allow(), null));
    } catch (RuntimeException | Error e) {
      exchange.error(ApiErrors.map(e, route));
    }
    log.atInfo().addKeyValue("method", request.getMethod()).addKeyValue("route", route)
        .addKeyValue("status", exchange.status())
        .addKeyValue("latencyMs", Duration.between(started, clock.instant()).toMillis())
        .addKeyValue("caller", caller.logName()).log("request");
  }

  private Caller authenticate(Router.Route route, Exchange exchange) {
    switch (route.access()) {
      case OPTIONAL:
        return authenticator.optional(exchange).map(Caller::of).orElse(Caller.anonymous());
      case VIEW_LINK:
        if (exchange.query("view").isPresent()) {
          if (viewLinks.verify(exchange.query("view").get(), route.template())) {
            return Caller.of(new Principal(Principal.Kind.VIEW_LINK, "view-link"));
          }
          throw new ApiException(ApiErrorCode.UNAUTHENTICATED, "the view link is not valid or has expired");
        }
        return Caller.of(authenticator.require(exchange));
      default:
        return Caller.of(authenticator.require(exchange));
    }
  }
}
