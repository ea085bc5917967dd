package dev.distribank.node.order;

/** A message on its way from one bank to another. */
public record Envelope(String from, String to, Message message) {}
