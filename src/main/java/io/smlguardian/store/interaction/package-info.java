/** The interactions collection: exchanges within sessions. */
package io.smlguardian.store.interaction;
