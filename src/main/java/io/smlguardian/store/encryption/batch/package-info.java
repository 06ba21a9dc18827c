/** The key-rotation job's batch artifact (batch-jobs/key-rotation.xml). */
package io.smlguardian.store.encryption.batch;
