package dev.distribank.node.app;

import java.util.List;

/** One page of a paged read, and the token for the next one ("" when this is the last). */
public record Page<T>(List<T> items, String nextPageToken) {
  public Page {
    items = List.copyOf(items);
  }
}
