/**
 * Who may do what: roles from verified MicroProfile JWT bearer tokens, the caller of a request, and
 * the refusal that a caller outside its remit gets; the store's own batch identity for its job
 * calls ({@link io.smlguardian.store.security.SystemJobOperator}), and the checks every job makes
 * of its parameters, which anyone with batch rights may choose ({@link
 * io.smlguardian.store.security.JobParameters}).
 */
package io.smlguardian.store.security;
