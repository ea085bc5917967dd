package dev.distribank.node.app;

import dev.distribank.node.core.ledger.Reason;
import dev.distribank.node.core.ledger.Rejection;
import dev.distribank.node.core.ledger.Text;

/** Page sizes and positional page tokens (AIP-158): a token is the last position served, as a decimal string. */
final class Paging {
  static final int MAX_PAGE = 1000;

  private Paging() {}

  /** The page's size: {@code fallback} for 0, at most {@value #MAX_PAGE}; refused when negative. */
  static int size(PageRequest page, int fallback) {
    if (page.size() < 0) {
      throw Rejection.of(Reason.INVALID_PAGE_SIZE, "page_size", "page_size must not be negative").toException();
    }
    return page.size() == 0 ? fallback : Math.min(page.size(), MAX_PAGE);
  }

  /** The position the page token names, {@code fallback} for the first page; refused unless a token we issue. */
  static long position(PageRequest page, long fallback) {
    String token = page.token();
    if (token.isEmpty()) {
      return fallback;
    }
    try {
      long p = Long.parseLong(token);
      if (p >= 0) {
        return p;
      }
    } catch (NumberFormatException notANumber) {
      // falls through to the refusal
    }
    throw Rejection.of(Reason.INVALID_PAGE_TOKEN, "page_token", "page_token '" + Text.quote(token)
        + "' was not returned by this call").toException();
  }
}
