package dev.distribank.node.api;

import dev.distribank.node.core.ledger.Account;
import dev.distribank.node.core.ledger.LedgerEntry;
import dev.distribank.node.core.ledger.Reason;
import dev.distribank.node.core.ledger.Rejection;
import dev.distribank.node.core.ledger.Text;
import dev.distribank.node.loop.BankState;
import dev.distribank.proto.bank.v1.GetStatementRequest;
import dev.distribank.proto.bank.v1.GetStatementResponse;
import java.util.List;
import org.rocksdb.RocksDBException;

/** Paged reads (AIP-158): statements now; page tokens are the last position served, as a decimal string. */
final class Statements {
  static final int DEFAULT_PAGE = 50;
  static final int MAX_PAGE = 1000;

  private Statements() {}

  static GetStatementResponse page(BankState s, Account account, GetStatementRequest req) {
    long after = position(req.getPageToken(), 0);
    int size = pageSize(req.getPageSize(), DEFAULT_PAGE);
    List<LedgerEntry> entries;
    try {
      entries = s.store().statement(account.id(), after, size);
    } catch (RocksDBException e) {
      throw new IllegalStateException("reading the statement failed: " + e.getMessage(), e);
    }
    var out = GetStatementResponse.newBuilder();
    entries.forEach(e -> out.addEntries(TypeProtos.toProto(e)));
    if (entries.size() == size && entries.get(size - 1).sequence() < account.entryCount()) {
      out.setNextPageToken(Long.toString(entries.get(size - 1).sequence()));
    }
    return out.build();
  }

  static int pageSize(int requested, int fallback) {
    if (requested < 0) {
      throw Rejection.of(Reason.INVALID_PAGE_SIZE, "page_size", "page_size must not be negative")
          .toException();
    }
    return requested == 0 ? fallback : Math.min(requested, MAX_PAGE);
  }

  static long position(String token, long fallback) {
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
