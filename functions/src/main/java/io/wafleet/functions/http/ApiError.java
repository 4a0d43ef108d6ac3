package io.wafleet.functions.http;

import com.fasterxml.jackson.annotation.JsonIgnore;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import java.util.Objects;

/**
 * The one error body shape: {@code {"code","message","field"}}; {@code field} is the JSON path or
 * parameter at fault, omitted when none. Immutable.
 */
@JsonPropertyOrder({"code", "message", "field"})
public record ApiError(@JsonIgnore ApiErrorCode kind, String message, @JsonInclude(JsonInclude.Include.NON_NULL) String field) {

  public ApiError {
    Objects.requireNonNull(kind, "kind == null");
    Objects.requireNonNull(message, "message == null");
  }

  @JsonProperty("code")
  public String code() {
    return kind.code();
  }

  @JsonIgnore
  public int status() {
    return kind.status();
  }
}
