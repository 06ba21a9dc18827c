/**
 * The store on relational databases through JPA (EclipseLink), and the Flyway migrations that own
 * their schema.
 */
package io.smlguardian.store.jpa;
