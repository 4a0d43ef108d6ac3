package io.wafleet.client;

/** The server answered a query with {@code type="error"} or an {@code <error code text/>} child. */
public final class IqErrorException extends WaException {

  private static final long serialVersionUID = 1L;

  private final int code;
  private final String text;

  public IqErrorException(int code, String text) {
    super("iq error " + code + (text == null ? "" : ": " + text));
    this.code = code;
    this.text = text;
  }

  /** The error code, or 0 if the server sent none. */
  public int code() {
    return code;
  }

  /** The error text, or null. */
  public String text() {
    return text;
  }
}
