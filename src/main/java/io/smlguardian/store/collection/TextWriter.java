package io.smlguardian.store.collection;

import java.io.Writer;

/**
 * A writer into a {@link StringBuilder}: {@link java.io.StringWriter} appends to a synchronized
 * {@link StringBuffer}, a lock taken per write, and {@link RecordJson} writes a record in dozens of
 * small writes. For text made and read by one thread; it throws no {@link java.io.IOException}.
 */
public final class TextWriter extends Writer {

  private final StringBuilder text;

  public TextWriter(int capacity) {
    this.text = new StringBuilder(capacity);
  }

  @Override
  public void write(int c) {
    text.append((char) c);
  }

  @Override
  public void write(char[] chars, int offset, int length) {
    text.append(chars, offset, length);
  }

  @Override
  public void write(String string, int offset, int length) {
    text.append(string, offset, offset + length);
  }

  @Override
  public TextWriter append(CharSequence chars) {
    text.append(chars);
    return this;
  }

  @Override
  public TextWriter append(char c) {
    text.append(c);
    return this;
  }

  @Override
  public void flush() {}

  @Override
  public void close() {}

  @Override
  public String toString() {
    return text.toString();
  }
}
