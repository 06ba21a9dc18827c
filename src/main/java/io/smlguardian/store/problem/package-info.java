/**
 * What every feature's failures have in common, so that the API answers them as problem+json
 * without knowing the feature: a {@link io.smlguardian.store.problem.Refusal} (an expected refusal)
 * carries its HTTP status and what to tell the caller, an {@link
 * io.smlguardian.store.problem.Unavailable} its 503 and {@code Retry-After}, a {@link
 * io.smlguardian.store.problem.PartFailure} which part of a request failed; the audit trail records
 * refusals through {@link io.smlguardian.store.problem.RefusalAudit}. It depends on nothing of the
 * store's own, so that every feature can use it.
 */
package io.smlguardian.store.problem;
