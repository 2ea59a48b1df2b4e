package org.tsumugi.persistence.checkpoint;

import java.io.FilterOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/** SHA-256 and byte count of everything written through it. */
final class Sha256 extends FilterOutputStream {
  private final MessageDigest digest;
  private long size;

  Sha256(OutputStream out) {
    super(out);
    this.digest = newDigest();
  }

  static MessageDigest newDigest() {
    try {
      return MessageDigest.getInstance("SHA-256");
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("every Java platform must provide SHA-256", e);
    }
  }

  static String hex(byte[] digest) {
    return HexFormat.of().formatHex(digest);
  }

  @Override
  public void write(int b) throws IOException {
    out.write(b);
    digest.update((byte) b);
    size++;
  }

  @Override
  public void write(byte[] b, int off, int len) throws IOException {
    out.write(b, off, len);
    digest.update(b, off, len);
    size += len;
  }

  long size() {
    return size;
  }

  /** The hex digest; call once, after the last write. */
  String hexDigest() {
    return hex(digest.digest());
  }
}
