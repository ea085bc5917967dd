package dev.distribank.node.api;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.distribank.node.app.NodeStopping;
import dev.distribank.node.testing.Clients;
import io.grpc.Status;
import java.util.concurrent.CompletionException;
import org.junit.jupiter.api.Test;

/** A node that stops says why: DISK_FULL when its data directory has no room, NODE_STOPPING otherwise. */
class ErrorsTest {
  @Test
  void toStatus_aNodeStoppedByAFullDisk_isUnavailableDiskFull() {
    var e = Errors.toStatus(new CompletionException(new NodeStopping("bank alpha stopped taking work: its disk is "
        + "full", null, true)));

    assertEquals(Status.Code.UNAVAILABLE, e.getStatus().getCode());
    assertEquals("DISK_FULL", Clients.reason(e));
    assertEquals("bank alpha stopped taking work: its disk is full", e.getStatus().getDescription());
  }

  @Test
  void toStatus_aNodeStoppingForAnythingElse_isUnavailableNodeStopping() {
    var e = Errors.toStatus(new NodeStopping("the bank node is stopping", null));

    assertEquals(Status.Code.UNAVAILABLE, e.getStatus().getCode());
    assertEquals("NODE_STOPPING", Clients.reason(e));
  }
}
