/** The batch artifacts of the {@code backup} and {@code restore} jobs. */
package io.smlguardian.store.backup.batch;
