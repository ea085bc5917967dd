package dev.distribank.node.core.ledger;

/**
 * The kinds of PIX key a bank registers, each with its own validation and normal form (see {@link PixKeys}).
 *
 * <p>{@code EVP} ("endereço virtual de pagamento") is a random UUID the bank generates; the others are the
 * holder's own CPF, CNPJ, e-mail address or Brazilian phone number.
 */
public enum PixKeyType {
  CPF, CNPJ, EMAIL, PHONE, EVP
}
