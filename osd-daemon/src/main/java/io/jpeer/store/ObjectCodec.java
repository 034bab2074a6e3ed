package io.jpeer.store;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.util.Map;
import java.util.TreeMap;

/** How an object is laid out in one store value: attribute count, attributes, then the data. */
final class ObjectCodec {
  private ObjectCodec() {}

  static byte[] encode(byte[] data, Map<String, byte[]> attrs) {
    try {
      ByteArrayOutputStream bytes = new ByteArrayOutputStream(data.length + 64);
      DataOutputStream out = new DataOutputStream(bytes);
      out.writeInt(attrs.size());
      for (Map.Entry<String, byte[]> a : new TreeMap<>(attrs).entrySet()) {
        out.writeUTF(a.getKey());
        out.writeInt(a.getValue().length);
        out.write(a.getValue());
      }
      out.write(data);
      return bytes.toByteArray();
    } catch (IOException e) {
      throw new IllegalStateException("in-memory write failed", e);
    }
  }

  static StoredObject decode(byte[] value) throws IOException {
    DataInputStream in = new DataInputStream(new ByteArrayInputStream(value));
    int n = in.readInt();
    if (n < 0 || n > 1 << 16) {
      throw new IOException("corrupt object value (attribute count " + n + ")");
    }
    TreeMap<String, byte[]> attrs = new TreeMap<>();
    for (int i = 0; i < n; i++) {
      String k = in.readUTF();
      int len = in.readInt();
      if (len < 0 || len > value.length) {
        throw new IOException("corrupt object value (attribute length " + len + ")");
      }
      attrs.put(k, in.readNBytes(len));
    }
    return new StoredObject(in.readAllBytes(), attrs);
  }
}
