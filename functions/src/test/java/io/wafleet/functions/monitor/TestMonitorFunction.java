package io.wafleet.functions.monitor;

import com.google.cloud.functions.HttpFunction;
import com.google.cloud.functions.HttpRequest;
import com.google.cloud.functions.HttpResponse;

/**
 * The invoker's target in tests: forwards to the {@link MonitorFunction} a test built over the
 * emulator with a test clock. Requests still go through the real Functions Framework over HTTP.
 */
public final class TestMonitorFunction implements HttpFunction {

  static volatile HttpFunction delegate;

  @Override
  public void service(HttpRequest request, HttpResponse response) throws Exception {
    delegate.service(request, response);
  }
}
