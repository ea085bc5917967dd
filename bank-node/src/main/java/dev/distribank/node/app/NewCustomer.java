package dev.distribank.node.app;

import dev.distribank.node.core.ledger.CustomerKind;

/**
 * A sign-up as the client gave it, before any check: {@code kind} is null when it gave neither a CPF nor a CNPJ, and
 * {@code taxId} is the one it gave, in any accepted spelling.
 */
public record NewCustomer(String name, CustomerKind kind, String taxId, String login, String password) {}
