package io.wafleet.functions.api;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

/**
 * One HTTP/1.1 connection over a plain socket, for tests that must control what the server has
 * received when (the JDK client sends a request's headers and body as it pleases). Writes raw bytes
 * and reads responses (Content-Length or chunked bodies). Reads time out after 10 s so a missing
 * answer fails the test instead of hanging it.
 */
final class RawHttpConnection implements AutoCloseable {

  record Response(int status, Map<String, String> headers, String body) {
    /** The header's value, or "" when absent; names are matched case-insensitively. */
    String header(String name) {
      return headers.getOrDefault(name.toLowerCase(Locale.ROOT), "");
    }
  }

  private final Socket socket;
  private final InputStream in;
  private final OutputStream out;

  RawHttpConnection(int port) throws IOException {
    socket = new Socket(InetAddress.getLoopbackAddress(), port);
    socket.setSoTimeout(10_000);
    in = socket.getInputStream();
    out = socket.getOutputStream();
  }

  /** Request line and headers (plus Host), ending with the blank line; no body. */
  void writeHead(String method, String path, Map<String, String> headers) throws IOException {
    StringBuilder head = new StringBuilder(method).append(' ').append(path).append(" HTTP/1.1\r\nHost: 127.0.0.1\r\n");
    headers.forEach((name, value) -> head.append(name).append(": ").append(value).append("\r\n"));
    write(head.append("\r\n").toString());
  }

  void write(String text) throws IOException {
    out.write(text.getBytes(StandardCharsets.UTF_8));
    out.flush();
  }

  Response readResponse() throws IOException {
    String statusLine = readLine();
    int status = Integer.parseInt(statusLine.split(" ")[1]);
    Map<String, String> headers = new LinkedHashMap<>();
    for (String line = readLine(); !line.isEmpty(); line = readLine()) {
      int colon = line.indexOf(':');
      headers.merge(line.substring(0, colon).trim().toLowerCase(Locale.ROOT), line.substring(colon + 1).trim(),
          (a, b) -> a + ", " + b);
    }
    byte[] body;
    if (headers.getOrDefault("transfer-encoding", "").equalsIgnoreCase("chunked")) {
      ByteArrayOutputStream chunks = new ByteArrayOutputStream();
      for (int size = Integer.parseInt(readLine().trim(), 16); size > 0; size = Integer.parseInt(readLine().trim(), 16)) {
        chunks.write(in.readNBytes(size));
        readLine();
      }
      readLine();
      body = chunks.toByteArray();
    } else {
      body = in.readNBytes(Integer.parseInt(headers.getOrDefault("content-length", "0")));
    }
    return new Response(status, headers, new String(body, StandardCharsets.UTF_8));
  }

  /** True when the server has closed its side: the next read finds the end of the stream. */
  boolean serverClosed() throws IOException {
    return in.read() == -1;
  }

  private String readLine() throws IOException {
    ByteArrayOutputStream line = new ByteArrayOutputStream();
    for (int b = in.read(); b != '\n'; b = in.read()) {
      if (b == -1) {
        throw new IOException("the server closed the connection mid-response or before answering");
      }
      if (b != '\r') {
        line.write(b);
      }
    }
    return line.toString(StandardCharsets.UTF_8);
  }

  @Override
  public void close() throws IOException {
    socket.close();
  }
}
