package org.tsumugi.persistence.rocksdb;

import java.io.NotSerializableException;
import java.nio.charset.StandardCharsets;
import org.apache.pekko.serialization.JSerializer;

/** Writes {@link Unreadable} as its text and refuses to read it back: a stored object that cannot be loaded. */
public final class UnreadableSerializer extends JSerializer {
  @Override
  public int identifier() {
    return 947_311;
  }

  @Override
  public boolean includeManifest() {
    return false;
  }

  @Override
  public byte[] toBinary(Object o) {
    return ((Unreadable) o).text().getBytes(StandardCharsets.UTF_8);
  }

  @Override
  public Object fromBinaryJava(byte[] bytes, Class<?> manifest) {
    throw new IllegalStateException(new NotSerializableException(
        "Unreadable [" + new String(bytes, StandardCharsets.UTF_8) + "] cannot be read back"));
  }
}
