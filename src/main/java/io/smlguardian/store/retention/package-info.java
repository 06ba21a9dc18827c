/**
 * Retention: per-collection policies (the seed's periods, overridable by configuration), the purge
 * job that enforces them ({@code batch-jobs/retention-purge.xml}, artifacts in {@code batch/}), its
 * schedule, and the operations endpoint that starts, stops, restarts and shows runs. Every run
 * leaves a receipt in the audit trail.
 */
package io.smlguardian.store.retention;
