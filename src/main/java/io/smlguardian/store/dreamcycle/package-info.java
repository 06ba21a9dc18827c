/** The dream cycles collection: the history of self-reflection cycles. */
package io.smlguardian.store.dreamcycle;
