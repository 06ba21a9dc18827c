/** The metrics collection: the platform's own performance samples. */
package io.smlguardian.store.metric;
