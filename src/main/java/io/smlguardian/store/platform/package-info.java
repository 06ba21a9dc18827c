/** The REST application and the mapping of every failure to problem+json. */
package io.smlguardian.store.platform;
