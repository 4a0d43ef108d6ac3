package io.wafleet.functions.api;

import com.google.cloud.functions.HttpFunction;
import com.google.cloud.functions.HttpRequest;
import com.google.cloud.functions.HttpResponse;

/**
 * The invoker's target in tests: it instantiates this class by name, and this forwards to the
 * {@link ApiFunction} a test built with the emulator's stores, a known token and a test clock.
 * Requests still go through the real Functions Framework over real HTTP.
 */
public final class TestApiFunction implements HttpFunction {

  static volatile HttpFunction delegate;

  @Override
  public void service(HttpRequest request, HttpResponse response) throws Exception {
    delegate.service(request, response);
  }
}
