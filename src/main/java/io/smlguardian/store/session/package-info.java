/** The sessions collection: conversations between a user and the companion. */
package io.smlguardian.store.session;
