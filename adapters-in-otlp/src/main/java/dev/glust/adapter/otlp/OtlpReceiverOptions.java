package dev.glust.adapter.otlp;

import dev.glust.application.port.in.CheckAccessUseCase;
import dev.glust.application.port.observe.ExportObserver;
import java.util.Objects;
import java.util.Optional;

/**
 * What the receivers do besides decoding: who may send (API keys, rate limits), who is told about
 * each request (metrics), and whether they speak TLS.
 */
public record OtlpReceiverOptions(
    CheckAccessUseCase access, ExportObserver observer, Optional<OtlpTls> tls) {
  public OtlpReceiverOptions {
    Objects.requireNonNull(access, "access");
    Objects.requireNonNull(observer, "observer");
    Objects.requireNonNull(tls, "tls");
  }

  /** Open, unobserved, plain text. */
  public static OtlpReceiverOptions none() {
    return new OtlpReceiverOptions(
        CheckAccessUseCase.open(), ExportObserver.NONE, Optional.empty());
  }
}
