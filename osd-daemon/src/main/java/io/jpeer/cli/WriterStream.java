package io.jpeer.cli;

import java.io.ByteArrayOutputStream;
import java.io.OutputStream;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;

/**
 * A PrintStream that writes into a picocli PrintWriter, for code that prints to streams: output
 * then follows the command line's redirections (batch mode's per-line error stream).
 */
final class WriterStream extends PrintStream {
  WriterStream(PrintWriter target) {
    super(new Sink(target), true, StandardCharsets.UTF_8);
  }

  /** Collects bytes and hands them over as text on each flush (println flushes whole lines). */
  private static final class Sink extends OutputStream {
    private final ByteArrayOutputStream buf = new ByteArrayOutputStream();
    private final PrintWriter target;

    Sink(PrintWriter target) {
      this.target = target;
    }

    @Override
    public void write(int b) {
      buf.write(b);
    }

    @Override
    public void write(byte[] b, int off, int len) {
      buf.write(b, off, len);
    }

    @Override
    public void flush() {
      target.write(buf.toString(StandardCharsets.UTF_8));
      buf.reset();
      target.flush();
    }

    @Override
    public void close() {
      flush();
    }
  }
}
