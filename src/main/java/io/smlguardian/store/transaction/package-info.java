/** Atomic multi-operation writes: the seed's transactions, shaped for REST. */
package io.smlguardian.store.transaction;
