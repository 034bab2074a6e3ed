package io.jpeer.client;

import io.jpeer.net.MessageRegistry;
import io.jpeer.proto.client.MOSDOp;
import io.jpeer.proto.client.MOSDOpReply;

/** Client operation message types (range 300-399); bodies in proto/.../client.proto. */
public final class ClientMessages {
  public static final int MOSD_OP = 300;
  public static final int MOSD_OP_REPLY = 301;

  public static final int ENOENT = -2;
  public static final int EAGAIN = -11;
  public static final int EINVAL = -22;
  public static final int EIO = -5;
  public static final int ETIMEDOUT = -110;

  private ClientMessages() {}

  public static MessageRegistry registerAll(MessageRegistry r) {
    return r.register(MOSD_OP, "MOSDOp", MOSDOp.parser()).register(MOSD_OP_REPLY, "MOSDOpReply", MOSDOpReply.parser());
  }
}
