package dev.glust.application.port.in;

import dev.glust.domain.tenant.TenantId;
import java.util.List;
import java.util.concurrent.CompletableFuture;

/**
 * Hands decoded records to storage as one request, as a transport that delivers them from elsewhere
 * (the Kafka writer) needs: the answer comes when storage committed them.
 *
 * @param <T> the signal's record type
 */
public interface SubmitRecordsUseCase<T> {
  /**
   * @param tenant whose records they are
   * @param wireBytes the request's size as received, counted against the pipeline's bound
   * @return completes when storage committed the records, exceptionally when it refused them
   * @throws PipelineFullException when the pipeline holds as much as it may
   */
  CompletableFuture<Void> submit(TenantId tenant, List<T> records, long wireBytes);
}
