package dev.glust.application.port.in.violation;

import dev.glust.application.port.out.SaveSpansPort;

/** Breaks a rule on purpose: an inbound port handing its caller an outbound port. */
public interface InboundPortUsingOutboundPort {
  SaveSpansPort storage();
}
