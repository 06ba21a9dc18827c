/** GDPR requests: erasure with receipts (export follows with the privacy issue). */
package io.smlguardian.store.privacy;
