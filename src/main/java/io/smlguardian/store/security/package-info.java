/**
 * Who may do what: roles from verified MicroProfile JWT bearer tokens, the caller of a request, and
 * the refusal that a caller outside its remit gets.
 */
package io.smlguardian.store.security;
