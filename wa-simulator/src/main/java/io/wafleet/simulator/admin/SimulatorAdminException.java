package io.wafleet.simulator.admin;

/**
 * The simulator's admin API answered a request with a status other than the one the call expects:
 * the answer's {@code {code, message, field}} (see wa-simulator/README.md, "Admin API").
 */
public final class SimulatorAdminException extends RuntimeException {

  private static final long serialVersionUID = 1L;

  private final String request;
  private final int status;
  private final String code;
  private final String field;

  public SimulatorAdminException(String request, int status, String code, String message, String field) {
    super(request + " -> HTTP " + status + (code == null ? "" : " " + code)
        + (message == null ? "" : ": " + message) + (field == null ? "" : " (field " + field + ")"));
    this.request = request;
    this.status = status;
    this.code = code;
    this.field = field;
  }

  /** Method and path of the request, e.g. {@code POST phones}. */
  public String request() {
    return request;
  }

  /** The HTTP status. */
  public int status() {
    return status;
  }

  /** The error code of the body ({@code duplicate-phone}, {@code bad-qr}, ...); null if it had none. */
  public String code() {
    return code;
  }

  /** The request field the error is about; null if none. */
  public String field() {
    return field;
  }
}
