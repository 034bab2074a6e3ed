package io.jpeer.osd;

import io.jpeer.client.ClientMessages;
import io.jpeer.map.OsdMap;
import io.jpeer.net.Connection;
import io.jpeer.net.EntityName;
import io.jpeer.net.InboundMessage;
import io.jpeer.net.MessageHandler;
import io.jpeer.net.MessageRegistry;
import io.jpeer.net.Messenger;
import io.jpeer.net.MessengerConfig;
import io.jpeer.proto.client.MOSDOpReply;
import io.jpeer.testing.MiniCluster;
import java.lang.reflect.Field;
import java.net.InetSocketAddress;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;

/**
 * A test's own end of the wire: sends client ops or replicated writes to an OSD under any entity
 * name (a resent request, a forged repop) and records the op replies it gets back.
 */
final class RawPeer implements AutoCloseable {
  final Messenger messenger;
  final List<MOSDOpReply> replies = new CopyOnWriteArrayList<>();

  RawPeer(EntityName as) {
    MessageHandler h = new MessageHandler() {
      @Override
      public void onMessage(Connection from, InboundMessage msg) {
        if (msg.body() instanceof MOSDOpReply r) {
          replies.add(r);
        }
      }
    };
    messenger = new Messenger(as, MiniCluster.FSID, MessengerConfig.defaults(),
        ClientMessages.registerAll(OsdMessages.registerAll(new MessageRegistry())), h);
  }

  void send(OsdMap map, int osd, int type, com.google.protobuf.Message body) {
    String a = map.addr(osd);
    int colon = a.lastIndexOf(':');
    messenger.send(new EntityName("osd", osd), new InetSocketAddress(a.substring(0, colon),
        Integer.parseInt(a.substring(colon + 1))), type, map.epoch(), body);
  }

  List<MOSDOpReply> repliesTo(long tid) {
    return replies.stream().filter(r -> r.getTid() == tid).toList();
  }

  @Override
  public void close() {
    messenger.close();
  }

  /**
   * Holds an OSD's daemon thread (where its PGs live) until closed: it still answers heartbeats
   * on its network threads, but stores and acknowledges nothing, like a replica slow to commit.
   */
  static AutoCloseable freeze(OsdDaemon d) throws Exception {
    Field f = OsdDaemon.class.getDeclaredField("thread");
    f.setAccessible(true);
    ExecutorService thread = (ExecutorService) f.get(d);
    CountDownLatch held = new CountDownLatch(1);
    CountDownLatch release = new CountDownLatch(1);
    thread.execute(() -> {
      held.countDown();
      try {
        release.await();
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    });
    held.await();
    return release::countDown;
  }
}
