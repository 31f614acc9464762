// Who may call a route, read back from the route itself: requireRole marks the hook it returns with its
// roles, and installContract's route table reads the marks, so a test can walk every route and compare
// what each declares with what it answers (and a new route cannot slip in unlisted).

/** 'staff': any logged-in user; a list: only those roles. Routes without a mark are public. */
export type DeclaredAccess = { kind: 'public' } | { kind: 'staff' } | { kind: 'roles'; roles: readonly string[] };

const MARKS = new WeakMap<object, readonly string[]>();

/** Marks a role-checking hook with the roles it lets through (none: any logged-in user). */
export function markRoles<F extends object>(hook: F, roles: readonly string[]): F {
  MARKS.set(hook, [...roles]);
  return hook;
}

/** The access a route's hooks declare, from its onRequest, preValidation and preHandler hooks. */
export function declaredAccess(route: { onRequest?: unknown; preValidation?: unknown; preHandler?: unknown }): DeclaredAccess {
  const hooks = [route.onRequest, route.preValidation, route.preHandler].flat().filter((h): h is object => typeof h === 'function');
  for (const hook of hooks) {
    const roles = MARKS.get(hook);
    if (roles) return roles.length === 0 ? { kind: 'staff' } : { kind: 'roles', roles };
  }
  return { kind: 'public' };
}
