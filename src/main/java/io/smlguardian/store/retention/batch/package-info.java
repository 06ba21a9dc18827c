/**
 * The artifacts of the {@code retention-purge} job (batch-jobs/retention-purge.xml): one partition
 * per collection; each reads the ids of expired records in id order after its last checkpoint and
 * deletes them a bounded chunk per transaction; a collector and analyzer sum the counts; a job
 * listener refuses an overlapping run and writes the receipt to the audit trail.
 */
package io.smlguardian.store.retention.batch;
