/** The access logs collection: the audit trail of access to user data. */
package io.smlguardian.store.accesslog;
