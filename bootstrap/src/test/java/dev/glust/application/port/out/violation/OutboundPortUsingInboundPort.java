package dev.glust.application.port.out.violation;

import dev.glust.application.port.in.query.log.SearchLogsQuery;

/** Breaks a rule on purpose: an outbound port taking an inbound port's type. */
public interface OutboundPortUsingInboundPort {
  void answer(SearchLogsQuery query);
}
