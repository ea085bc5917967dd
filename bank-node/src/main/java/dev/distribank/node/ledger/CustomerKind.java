package dev.distribank.node.ledger;

/** A person (identified by CPF) or a company (identified by CNPJ). */
public enum CustomerKind { INDIVIDUAL, COMPANY }
