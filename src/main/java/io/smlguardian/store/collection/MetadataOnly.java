package io.smlguardian.store.collection;

import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Marks a REST method that answers the service's own metadata (the collections and their fields),
 * never a stored record or anything about one. The audit trail records its refusals like any other,
 * but not its successes, which are no access to anyone's data.
 */
@Retention(RetentionPolicy.RUNTIME)
@Target(ElementType.METHOD)
public @interface MetadataOnly {}
