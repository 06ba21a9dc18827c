/**
 * What every feature's expected refusals have in common: a {@link
 * io.smlguardian.store.problem.Refusal} carries its HTTP status and what to tell the caller, so
 * that the API answers it as problem+json without knowing the feature. It depends on nothing of the
 * store's own, so that every feature can use it.
 */
package io.smlguardian.store.problem;
