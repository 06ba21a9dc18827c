/** The memories collection: consolidated learning and patterns. */
package io.smlguardian.store.memory;
