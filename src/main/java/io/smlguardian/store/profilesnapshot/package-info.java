/** The profile snapshots collection: the user profile over time. */
package io.smlguardian.store.profilesnapshot;
