/** The emotional states collection: a user's emotional history. */
package io.smlguardian.store.emotionalstate;
