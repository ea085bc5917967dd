package dev.distribank.node.core.order;

/** A message on its way from one bank to another. */
public record Envelope(String from, String to, Message message) {}
