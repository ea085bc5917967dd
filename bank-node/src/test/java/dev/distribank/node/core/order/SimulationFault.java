package dev.distribank.node.core.order;

/** A fault the simulation injects on purpose, to show that the checks catch what it breaks. */
enum SimulationFault {
  NONE,
  /** Every copy of one COMMIT decision to one bank is lost, re-sends included (a peer link that black-holes it). */
  LOSE_ONE_COMMIT_DECIDE
}
