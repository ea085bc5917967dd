package dev.distribank.node.core.ledger;

/** A person (identified by CPF) or a company (identified by CNPJ). */
public enum CustomerKind { INDIVIDUAL, COMPANY }
