package dev.glust.application.port.out;

/**
 * Keeps each tenant's records as long as its retention says. Storage applies it on its own schedule
 * (its partition maintenance): told once at start and again after each reload of the tenants file,
 * it keeps the newest overrides it was given.
 *
 * <p>The contract, per signal: partitions are dropped only once older than {@link
 * RetentionOverrides#longest} of the global retention and the overrides; a tenant with an override
 * loses its rows older than its override; every other tenant loses its rows older than the global
 * retention (when that is shorter than the partitions kept). "Loses" is within one maintenance
 * period: a query may see older rows until then.
 */
@FunctionalInterface
public interface ApplyRetentionPort {
  ApplyRetentionPort NONE = overrides -> {};

  void applyRetention(RetentionOverrides overrides);
}
