package org.bulletin.testkit;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A partner endpoint on loopback that misbehaves on purpose, on raw sockets so that nothing in an
 * HTTP library smooths the misbehaviour over. One platform thread per connection (tests only).
 */
public final class HostileServer implements AutoCloseable {
  /** How the server answers every request. */
  public enum Behaviour {
    /** 200 with a two-byte body, keep-alive. */
    HEALTHY,
    /** 200, chunked, chunks forever. */
    ENDLESS_BODY,
    /** The status line and headers, one byte per second, forever. */
    DRIP_HEADERS,
    /** Headers at once (Content-Length 1 MB), then the body one byte per second. */
    DRIP_BODY,
    /** Reads the request, never answers. */
    SILENT,
    /** 200 with 10,000 small headers. */
    MANY_HEADERS,
    /** 200 with one header of 1 MB. */
    HUGE_HEADER,
    /** Reads the request, then resets the connection (RST). */
    RESET,
    /** 302 to {@link HostileServer#redirectTo}. */
    REDIRECT
  }

  private final Behaviour behaviour;
  private final String redirectTo;
  private final ServerSocket server;
  private final ExecutorService threads = Executors.newCachedThreadPool(r -> {
    Thread t = new Thread(r, "hostile-server");
    t.setDaemon(true);
    return t;
  });
  private final List<Socket> sockets = new CopyOnWriteArrayList<>();
  private final AtomicInteger requests = new AtomicInteger();
  private final AtomicInteger closedByClient = new AtomicInteger();
  private final AtomicLong bytesWritten = new AtomicLong();
  /** The Host header of every request read. */
  public final List<String> hosts = new CopyOnWriteArrayList<>();
  /** The body of every request a healthy server answered. */
  public final List<String> bodies = new CopyOnWriteArrayList<>();
  private volatile boolean closed;

  public HostileServer(Behaviour behaviour) throws IOException {
    this(behaviour, null);
  }

  public HostileServer(Behaviour behaviour, String redirectTo) throws IOException {
    this.behaviour = behaviour;
    this.redirectTo = redirectTo;
    this.server = new ServerSocket(0, 200, InetAddress.getLoopbackAddress());
    threads.execute(this::acceptLoop);
  }

  public Behaviour behaviour() {
    return behaviour;
  }

  public int port() {
    return server.getLocalPort();
  }

  public String url() {
    return "http://127.0.0.1:" + port() + "/hook";
  }

  /** Requests whose head was read. */
  public int requests() {
    return requests.get();
  }

  /** Connections the client closed or reset while this server was still sending or waiting. */
  public int closedByClient() {
    return closedByClient.get();
  }

  public long bytesWritten() {
    return bytesWritten.get();
  }

  private void acceptLoop() {
    while (!closed) {
      try {
        Socket socket = server.accept();
        sockets.add(socket);
        threads.execute(() -> serve(socket));
      } catch (IOException e) {
        return; // closed
      }
    }
  }

  private void serve(Socket socket) {
    try (socket) {
      InputStream in = socket.getInputStream();
      OutputStream out = socket.getOutputStream();
      do {
        if (!readRequest(in)) {
          return;
        }
      } while (answer(socket, in, out));
    } catch (IOException | InterruptedException e) {
      if (!closed) {
        closedByClient.incrementAndGet();
      }
    } finally {
      sockets.remove(socket);
    }
  }

  /** Reads one request (head and Content-Length body); false at the end of the stream. */
  private boolean readRequest(InputStream in) throws IOException {
    ByteArrayOutputStream head = new ByteArrayOutputStream();
    int matched = 0;
    byte[] end = {'\r', '\n', '\r', '\n'};
    while (matched < 4) {
      int b = in.read();
      if (b < 0) {
        return false;
      }
      head.write(b);
      matched = b == end[matched] ? matched + 1 : (b == '\r' ? 1 : 0);
      if (head.size() > 65_536) {
        throw new IOException("request head too large");
      }
    }
    int length = 0;
    for (String line : head.toString(StandardCharsets.ISO_8859_1).split("\r\n")) {
      String lower = line.toLowerCase(Locale.ROOT);
      if (lower.startsWith("content-length:")) {
        length = Integer.parseInt(line.substring(15).trim());
      } else if (lower.startsWith("host:")) {
        hosts.add(line.substring(5).trim());
      }
    }
    byte[] body = in.readNBytes(length);
    if (behaviour == Behaviour.HEALTHY) {
      bodies.add(new String(body, StandardCharsets.UTF_8));
    }
    requests.incrementAndGet();
    return true;
  }

  /** Answers one request; true to read another on the same connection. */
  private boolean answer(Socket socket, InputStream in, OutputStream out) throws IOException, InterruptedException {
    switch (behaviour) {
      case HEALTHY -> {
        write(out, "HTTP/1.1 200 OK\r\nContent-Type: text/plain\r\nContent-Length: 2\r\n\r\nok");
        return true;
      }
      case ENDLESS_BODY -> {
        write(out, "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n");
        // Large chunks: few system calls, so the flood costs the test machine little CPU of its own.
        String chunk = "4000\r\n" + "x".repeat(16_384) + "\r\n";
        while (!closed) {
          write(out, chunk);
        }
      }
      case DRIP_HEADERS -> drip(out, "HTTP/1.1 200 OK\r\nX-Drip: ");
      case DRIP_BODY -> drip(out, "HTTP/1.1 200 OK\r\nContent-Length: 1048576\r\n\r\n");
      case SILENT -> {
        if (in.read() < 0 && !closed) {
          closedByClient.incrementAndGet(); // the client gave up
        }
      }
      case MANY_HEADERS -> {
        StringBuilder sb = new StringBuilder("HTTP/1.1 200 OK\r\n");
        for (int i = 0; i < 10_000; i++) {
          sb.append("X-Flood-").append(i).append(": v\r\n");
        }
        write(out, sb.append("Content-Length: 2\r\n\r\nok").toString());
        in.read(); // wait for the client to give up
      }
      case HUGE_HEADER -> {
        write(out, "HTTP/1.1 200 OK\r\nX-Huge: " + "a".repeat(1 << 20) + "\r\nContent-Length: 2\r\n\r\nok");
        in.read();
      }
      case RESET -> {
        socket.setSoLinger(true, 0);
        socket.close();
      }
      case REDIRECT -> {
        write(out, "HTTP/1.1 302 Found\r\nLocation: " + redirectTo + "\r\nContent-Length: 0\r\n\r\n");
        return true;
      }
    }
    return false;
  }

  private void drip(OutputStream out, String start) throws IOException, InterruptedException {
    write(out, start);
    while (!closed) {
      Thread.sleep(1000);
      write(out, "a");
    }
  }

  private void write(OutputStream out, String text) throws IOException {
    byte[] bytes = text.getBytes(StandardCharsets.ISO_8859_1);
    out.write(bytes);
    out.flush();
    bytesWritten.addAndGet(bytes.length);
  }

  @Override
  public void close() {
    closed = true;
    try {
      server.close();
    } catch (IOException ignored) {
      // closing anyway
    }
    for (Socket s : sockets) {
      try {
        s.close();
      } catch (IOException ignored) {
        // closing anyway
      }
    }
    threads.shutdownNow();
  }
}
