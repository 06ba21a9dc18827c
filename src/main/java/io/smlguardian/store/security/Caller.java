package io.smlguardian.store.security;

import java.util.EnumSet;
import java.util.Set;

/**
 * Who is asking: the authenticated principal (the token's subject, which for a {@code user} is the
 * userId their records carry), their roles, and the network address the request came from.
 *
 * @param subject the token's subject, or the name of a job acting for the system
 * @param roles what the caller may do
 * @param address the client's address, or null when not a network request
 */
public record Caller(String subject, Set<Role> roles, String address) {

  public Caller {
    roles = roles.isEmpty() ? Set.of() : Set.copyOf(EnumSet.copyOf(roles));
  }

  /** The store itself, acting for a job or a migration: a service with every permission. */
  public static Caller system(String name) {
    return new Caller(name, EnumSet.of(Role.SERVICE), null);
  }

  public boolean has(Role role) {
    return roles.contains(role);
  }
}
